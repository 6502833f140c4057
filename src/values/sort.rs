//! One small stable sort for the whole engine.
//!
//! The standard library's sorts are fast and large, and every call site
//! with its own element type and comparator gets its own copy: two dozen
//! of them made a fifth of the WebAssembly module (every kilobyte is
//! download time on a shopper's phone). Here positions are sorted once, by
//! one merge sort that calls its comparator through `dyn`, and each call
//! site only adds the few lines that reorder its vector. Stable, and
//! `O(n log n)` (a promotion may have 100,000 tiers).

use std::cmp::Ordering;

/// `items` sorted by `cmp`, equal items in their original order.
fn sorted_by<T>(items: Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let order = {
        let at = |i: usize, j: usize| match (items.get(i), items.get(j)) {
            (Some(a), Some(b)) => cmp(a, b),
            _ => Ordering::Equal,
        };
        positions(items.len(), &at)
    };
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// Sort `items` in place by `cmp`, stably.
pub(crate) fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let taken = std::mem::take(items);
    *items = sorted_by(taken, cmp);
}

/// Sort `items` in place by their order, stably.
pub(crate) fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// Sort `items` in place by a key, stably.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..n` in the order `cmp` gives them (bottom-up merge
/// sort; runs of 8 by insertion first).
fn positions(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    const RUN: usize = 8;
    for run in a.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 {
                let (Some(&x), Some(&y)) = (run.get(j.wrapping_sub(1)), run.get(j)) else {
                    break;
                };
                if cmp(x, y) != Ordering::Greater {
                    break;
                }
                run.swap(j.wrapping_sub(1), j);
                j = j.wrapping_sub(1);
            }
        }
    }
    let mut b: Vec<usize> = Vec::with_capacity(n);
    let mut width = RUN;
    while width < n {
        b.clear();
        for left in a.chunks(width.saturating_mul(2)) {
            let (l, r) = left.split_at(width.min(left.len()));
            merge(l, r, cmp, &mut b);
        }
        std::mem::swap(&mut a, &mut b);
        width = width.saturating_mul(2);
    }
    a
}

/// Merge two sorted runs into `out`, the left one first among equals.
fn merge(l: &[usize], r: &[usize], cmp: &dyn Fn(usize, usize) -> Ordering, out: &mut Vec<usize>) {
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (l.get(i), r.get(j)) {
        if cmp(y, x) == Ordering::Less {
            out.push(y);
            j = j.saturating_add(1);
        } else {
            out.push(x);
            i = i.saturating_add(1);
        }
    }
    out.extend_from_slice(l.get(i..).unwrap_or(&[]));
    out.extend_from_slice(r.get(j..).unwrap_or(&[]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        let mut seed = 7u64;
        for n in [0usize, 1, 2, 7, 8, 9, 15, 16, 17, 100, 1000, 4097] {
            let items: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |x| x.0);
            let mut std = items.clone();
            std.sort_by_key(|x| x.0);
            assert_eq!(ours, std, "n = {n}");
        }
    }
}
