//! 分摊: splitting a discount over lines to the cent (contract section 4).
//!
//! Each line first gets its exact share `d * a[i] / sum(a)` rounded down to
//! the cent; the cents left over go one each to the lines with the largest
//! discarded remainders, a tie going to the line that comes first in the
//! cart. The shares sum to `d` exactly and no share exceeds its `a[i]`
//! (given `d <= sum(a)`): a line's share can only be rounded up when its
//! remainder is positive, i.e. when its exact share is below `a[i]`.
//!
//! The arithmetic is exact integer arithmetic on minor units. Within the
//! contract's limits a product `d * a[i]` can exceed 128 bits, so it is
//! taken in 256 bits when it must be.

/// `(floor(a * b / c), a * b mod c)` for `c > 0`, exact for all inputs
/// whose quotient fits in 128 bits (always so here, as `a <= c`).
fn mul_div_rem(a: u128, b: u128, c: u128) -> (u128, u128) {
    if c == 0 {
        return (0, 0);
    }
    // Almost every product fits in 64 bits: a native 64-bit division is
    // far cheaper than a 128-bit one (a library call natively, and emulated
    // on wasm32).
    if let (Ok(a), Ok(b), Ok(c)) = (u64::try_from(a), u64::try_from(b), u64::try_from(c)) {
        if let Some(p) = a.checked_mul(b) {
            return (
                u128::from(p.checked_div(c).unwrap_or(0)),
                u128::from(p.checked_rem(c).unwrap_or(0)),
            );
        }
    }
    if let Some(p) = a.checked_mul(b) {
        return (p.checked_div(c).unwrap_or(0), p.checked_rem(c).unwrap_or(0));
    }
    // 256-bit product as (hi, lo), then binary long division by c.
    let (a_hi, a_lo) = (a >> 64, a & u128::from(u64::MAX));
    let (b_hi, b_lo) = (b >> 64, b & u128::from(u64::MAX));
    // Each half is below 2^64, so each partial product fits in 128 bits.
    let ll = a_lo.wrapping_mul(b_lo);
    let lh = a_lo.wrapping_mul(b_hi);
    let hl = a_hi.wrapping_mul(b_lo);
    let hh = a_hi.wrapping_mul(b_hi);
    let (mid, mid_carry) = lh.overflowing_add(hl);
    let (lo, lo_carry) = ll.overflowing_add(mid << 64);
    let hi = hh
        .wrapping_add(mid >> 64)
        .wrapping_add(u128::from(mid_carry) << 64)
        .wrapping_add(u128::from(lo_carry));
    let mut q: u128 = 0;
    let mut r: u128 = 0;
    for i in (0..256u32).rev() {
        let bit = if i >= 128 {
            (hi >> i.wrapping_sub(128)) & 1
        } else {
            (lo >> i) & 1
        };
        // r < c, and every c here is far below 2^127, so r << 1 fits;
        // saturate rather than wrap if that assumption were ever broken.
        r = r.checked_shl(1).map_or(u128::MAX, |x| x | bit);
        if r >= c {
            r = r.wrapping_sub(c); // r >= c
            if i < 128 {
                q |= 1u128 << i;
            }
        }
    }
    (q, r)
}

/// Split `d` minor units over lines with running amounts `amounts` (minor
/// units, in cart order) by the largest-remainder method.
///
/// Lines with amount 0 get nothing. If `d` exceeds the sum of the amounts
/// (which the pipeline never asks for) it is reduced to that sum, so no
/// share ever exceeds its line.
pub(crate) fn allocate(d: i128, amounts: &[i128]) -> Vec<i128> {
    let mut shares = vec![0i128; amounts.len()];
    let total: u128 = amounts
        .iter()
        .map(|&a| u128::try_from(a).unwrap_or(0))
        .fold(0u128, u128::saturating_add);
    let d = u128::try_from(d).unwrap_or(0).min(total);
    if d == 0 || total == 0 {
        return shares;
    }
    let mut given: u128 = 0;
    let mut remainders: Vec<(u128, usize)> = Vec::new();
    for (i, &a) in amounts.iter().enumerate() {
        let a = u128::try_from(a).unwrap_or(0);
        if a == 0 {
            continue;
        }
        let (q, r) = mul_div_rem(d, a, total);
        given = given.saturating_add(q);
        if let Some(s) = shares.get_mut(i) {
            *s = i128::try_from(q).unwrap_or(0);
        }
        if r > 0 {
            remainders.push((r, i));
        }
    }
    let left = d.saturating_sub(given);
    if left > 0 {
        // Largest remainder first; equal remainders in cart order.
        crate::values::sort_by(&mut remainders, |x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let n = usize::try_from(left).unwrap_or(usize::MAX);
        for &(_, i) in remainders.iter().take(n) {
            if let Some(s) = shares.get_mut(i) {
                *s = s.saturating_add(1);
            }
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        // Case 01: 40.00 over 199, 89, 256.
        assert_eq!(allocate(4000, &[19900, 8900, 25600]), vec![1463, 655, 1882]);
        // Equal remainders: the first line gets the cent.
        assert_eq!(allocate(1000, &[1000, 1000, 1000]), vec![334, 333, 333]);
        // A zero line gets nothing; the 0.4-cent remainder wins.
        assert_eq!(
            allocate(1000, &[3333, 3333, 3334, 0]),
            vec![333, 333, 334, 0]
        );
    }

    #[test]
    fn whole_and_nothing() {
        assert_eq!(allocate(300, &[100, 200]), vec![100, 200]);
        assert_eq!(allocate(0, &[100, 200]), vec![0, 0]);
        assert_eq!(allocate(5, &[0, 0]), vec![0, 0]);
        assert_eq!(allocate(500, &[100, 200]), vec![100, 200]);
    }

    #[test]
    fn wide_products_are_exact() {
        // Amounts near the contract's limits: 1000 lines of 1e12 * 99999.
        let big: i128 = 100_000_000_000_000 * 99_999; // minor units
        let amounts = vec![big, big - 1, 7];
        let total: i128 = amounts.iter().sum();
        let d = total - 3;
        let shares = allocate(d, &amounts);
        assert_eq!(shares.iter().sum::<i128>(), d);
        for (s, a) in shares.iter().zip(&amounts) {
            assert!(s <= a);
        }
        assert_eq!(mul_div_rem(1 << 100, 1 << 100, 1 << 90), (1 << 110, 0));
        assert_eq!(
            mul_div_rem((1 << 100) + 1, 1 << 100, 1 << 100),
            ((1 << 100) + 1, 0)
        );
    }
}
