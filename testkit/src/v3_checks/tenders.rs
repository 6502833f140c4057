//! Tenders (抵扣): what each tender of the cart pays, re-derived from its
//! rule, the buyer's balance and what is still owed, and its shares on
//! lines and shipping groups re-derived by the contract's allocation
//! (contract section 3, step 5, and section 4).

use super::{floor_to, in_group, in_scope, num, opt_num, scale};
use rust_decimal::Decimal;
use serde_json::Value;

/// What is owed at this checkout, line by line and group by group, as
/// the tenders pay in turn.
struct Ledger<'a> {
    q: &'a Value,
    input_lines: Vec<&'a Value>,
    finals: Vec<Decimal>,
    due: Vec<Decimal>,
    owed: Vec<Decimal>,
    fees: Vec<Decimal>,
    owed_fees: Vec<Decimal>,
    /// Each line's shipping group, if its store has one.
    group_of: Vec<Option<usize>>,
    scale: u32,
    /// The expected non-zero shares of each line and group: (tender, amount).
    line_shares: Vec<Vec<(String, Decimal)>>,
    group_shares: Vec<Vec<(String, Decimal)>>,
}

impl<'a> Ledger<'a> {
    fn new(input: &'a Value, q: &'a Value) -> Ledger<'a> {
        let input_lines: Vec<&Value> = input["cart"]["lines"].as_array().unwrap().iter().collect();
        let qlines = q["lines"].as_array().unwrap();
        let groups = q["shipping"].as_array().unwrap();
        let finals: Vec<Decimal> = qlines.iter().map(|l| num(&l["final"])).collect();
        // What a line owes now: its final less a presale deposit paid before.
        let due: Vec<Decimal> = qlines
            .iter()
            .zip(&finals)
            .map(|(l, f)| f - l.get("deposit").map_or(Decimal::ZERO, num).min(*f))
            .collect();
        let fees: Vec<Decimal> = groups.iter().map(|g| num(&g["fee"])).collect();
        let group_of = input_lines
            .iter()
            .map(|l| groups.iter().position(|g| in_group(l, g)))
            .collect();
        Ledger {
            q,
            owed: due.clone(),
            owed_fees: fees.clone(),
            line_shares: vec![Vec::new(); qlines.len()],
            group_shares: vec![Vec::new(); groups.len()],
            input_lines,
            finals,
            due,
            fees,
            group_of,
            scale: scale(q),
        }
    }

    /// Tender `rule` with the buyer's `held` pays in turn: the payment and
    /// points its quote entry `e` must show, and its shares.
    fn pay(&mut self, rule: &Value, held: &Value, e: &Value) -> Decimal {
        let m: Vec<usize> = (0..self.input_lines.len())
            .filter(|&i| in_scope(rule.get("scope"), self.input_lines[i]))
            .collect();
        let mut g: Vec<usize> = Vec::new();
        if rule["shipping"] == true {
            g = m.iter().filter_map(|&i| self.group_of[i]).collect();
            g.sort();
            g.dedup();
        }
        let b0: Decimal = m.iter().map(|&i| self.due[i]).sum::<Decimal>()
            + g.iter().map(|&k| self.fees[k]).sum::<Decimal>();
        let r: Decimal = m.iter().map(|&i| self.owed[i]).sum::<Decimal>()
            + g.iter().map(|&k| self.owed_fees[k]).sum::<Decimal>();
        let cap = opt_num(rule, "max_share").map(|s| floor_to(b0 * s, self.scale));
        let limit = cap.map_or(r, |c| c.min(r));
        let goods: Decimal = m.iter().map(|&i| self.finals[i]).sum();
        let usable = !m.is_empty() && opt_num(rule, "at").is_none_or(|a| goods >= a);
        let (balance, wanted) = (num(&held["balance"]), opt_num(held, "use"));
        let points = rule["kind"] == "points";
        let (paid, used) = match (usable, points) {
            (false, _) => (Decimal::ZERO, Decimal::ZERO),
            (true, true) => {
                let unit = num(&rule["unit_value"]);
                let step = opt_num(rule, "step").unwrap_or(Decimal::ONE);
                let mut p = balance.min((limit / unit).floor());
                p = wanted.map_or(p, |u| p.min(u));
                p = opt_num(rule, "max_points").map_or(p, |x| p.min(x));
                p = (p / step).floor() * step;
                (p * unit, p)
            }
            (true, false) => (
                balance.min(wanted.unwrap_or(balance)).min(limit),
                Decimal::ZERO,
            ),
        };
        assert_eq!(num(&e["amount"]), paid, "what tender {e} paid");
        if points {
            assert_eq!(num(&e["points"]), used, "the points tender {e} used");
        } else {
            assert!(e.get("points").is_none(), "points on a credit tender: {e}");
        }
        let reason = match () {
            _ if m.is_empty() => "no_lines_in_scope",
            _ if !usable => "threshold_not_met",
            _ if balance.is_zero() || wanted.is_some_and(|u| u.is_zero()) => "no_balance",
            _ if r.is_zero() => "nothing_due",
            _ if cap.is_some_and(|c| c.is_zero())
                || opt_num(rule, "max_points").is_some_and(|x| x.is_zero()) =>
            {
                "capped"
            }
            _ => "below_step",
        };
        match paid.is_zero() {
            true => assert_eq!(e["reason"], reason, "the reason of {e}"),
            false => assert!(
                e.get("reason").is_none(),
                "a reason on a tender that paid: {e}"
            ),
        }
        self.allocate(e["id"].as_str().unwrap(), paid, &m, &g);
        paid
    }

    /// Split `paid` over lines `m` then groups `g` in proportion to what
    /// each still owes (largest remainder, ties to the first), and record
    /// the shares.
    fn allocate(&mut self, id: &str, paid: Decimal, m: &[usize], g: &[usize]) {
        let weights: Vec<Decimal> = m
            .iter()
            .map(|&i| self.owed[i])
            .chain(g.iter().map(|&k| self.owed_fees[k]))
            .collect();
        let Some(shares) = largest_remainder(paid, &weights, self.scale) else {
            self.approximate(id, paid, m, g);
            return;
        };
        for (j, share) in shares.into_iter().enumerate() {
            assert!(share >= Decimal::ZERO);
            if share.is_zero() {
                continue;
            }
            if let Some(&i) = m.get(j) {
                self.owed[i] -= share;
                assert!(
                    self.owed[i] >= Decimal::ZERO,
                    "a tender paid more than line {i} owed"
                );
                self.line_shares[i].push((id.to_owned(), share));
            } else {
                let k = g[j - m.len()];
                self.owed_fees[k] -= share;
                assert!(
                    self.owed_fees[k] >= Decimal::ZERO,
                    "a tender paid more than fee {k}"
                );
                self.group_shares[k].push((id.to_owned(), share));
            }
        }
    }

    /// Without an exact allocation (amounts beyond 128-bit products, as
    /// fuzzed extremes have): the quote's own shares of `id`, which must
    /// sum to `paid`, fall on lines `m` and groups `g` only, and never
    /// exceed what is owed.
    fn approximate(&mut self, id: &str, paid: Decimal, m: &[usize], g: &[usize]) {
        let share = |v: &Value| -> Decimal {
            v.get("tenders")
                .and_then(Value::as_array)
                .map_or(Decimal::ZERO, |ts| {
                    ts.iter()
                        .filter(|t| t["tender"] == id)
                        .map(|t| num(&t["amount"]))
                        .sum()
                })
        };
        let mut sum = Decimal::ZERO;
        for (i, l) in self.q["lines"].as_array().unwrap().iter().enumerate() {
            let a = share(l);
            assert!(
                a.is_zero() || m.contains(&i),
                "tender {id} paid line {i} out of its scope"
            );
            self.owed[i] -= a;
            assert!(
                self.owed[i] >= Decimal::ZERO,
                "tender {id} paid more than line {i} owed"
            );
            if !a.is_zero() {
                self.line_shares[i].push((id.to_owned(), a));
            }
            sum += a;
        }
        for (k, e) in self.q["shipping"].as_array().unwrap().iter().enumerate() {
            let a = share(e);
            assert!(
                a.is_zero() || g.contains(&k),
                "tender {id} paid fee {k} out of its scope"
            );
            self.owed_fees[k] -= a;
            assert!(
                self.owed_fees[k] >= Decimal::ZERO,
                "tender {id} paid more than fee {k}"
            );
            if !a.is_zero() {
                self.group_shares[k].push((id.to_owned(), a));
            }
            sum += a;
        }
        assert_eq!(sum, paid, "the shares of tender {id} sum to what it paid");
    }
}

/// Shares of `total` in proportion to `weights`, to the scale's unit:
/// each its exact share rounded down, the units left one each to the
/// largest discarded remainders, a tie to the first. `None` when the
/// amounts are too large for exact integer arithmetic.
fn largest_remainder(total: Decimal, weights: &[Decimal], scale: u32) -> Option<Vec<Decimal>> {
    let minor = |d: Decimal| -> i128 {
        let mut x = d;
        x.rescale(scale);
        x.mantissa()
    };
    let t = minor(total);
    let w: Vec<i128> = weights.iter().map(|d| minor(*d)).collect();
    let sum: i128 = w.iter().sum();
    if sum == 0 {
        return Some(vec![Decimal::ZERO; w.len()]);
    }
    let mut parts: Vec<(i128, i128)> = Vec::new();
    for x in &w {
        let p = t.checked_mul(*x)?;
        parts.push((p / sum, p % sum));
    }
    let mut left = t - parts.iter().map(|(q, _)| q).sum::<i128>();
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    for j in order {
        if left == 0 {
            break;
        }
        if w[j] > 0 {
            parts[j].0 += 1;
            left -= 1;
        }
    }
    Some(
        parts
            .iter()
            .map(|(q, _)| Decimal::from_i128_with_scale(*q, scale))
            .collect(),
    )
}

/// The tenders of quote `q` of `input`: one entry per tender of the
/// cart, in application order, each paying what its rule, the balance and
/// what is owed give, with the reason of a 0; shares on lines and groups
/// as the allocation gives (never more than owed: no negative cash); the
/// totals' `tenders` and `cash`. (Tenders re-derived, those that paid.)
pub fn check_tenders(input: &Value, q: &Value) -> (u32, u32) {
    let Some(held) = input["cart"].get("tenders").filter(|t| !t.is_null()) else {
        assert!(
            q.get("tenders").is_none() && q["totals"].get("cash").is_none(),
            "tenders without cart tenders: {q}"
        );
        return (0, 0);
    };
    let rules = input["rules"]["tenders"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut order: Vec<(&Value, &Value)> = held
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (rules.iter().find(|r| r["id"] == h["id"]).unwrap(), h))
        .collect();
    order.sort_by_key(|(r, _)| {
        (
            r["priority"].as_i64().unwrap_or(0),
            r["id"].as_str().unwrap().to_owned(),
        )
    });
    let entries = q["tenders"]
        .as_array()
        .unwrap_or_else(|| panic!("tenders on the quote: {q}"));
    assert_eq!(entries.len(), order.len(), "one entry per cart tender: {q}");
    let mut ledger = Ledger::new(input, q);
    let (mut total, mut paid_n) = (Decimal::ZERO, 0);
    for ((rule, h), e) in order.iter().zip(entries) {
        assert_eq!(e["id"], rule["id"], "tenders in application order: {q}");
        assert_eq!(e["kind"], rule["kind"]);
        assert_eq!(
            e["funded_by"],
            *rule.get("funded_by").unwrap_or(&Value::from("platform"))
        );
        let paid = ledger.pay(rule, h, e);
        paid_n += u32::from(!paid.is_zero());
        total += paid;
    }
    check_shares(&ledger, q);
    let t = &q["totals"];
    assert_eq!(num(&t["tenders"]), total, "totals.tenders: {q}");
    assert_eq!(num(&t["cash"]), num(&t["due"]) - total, "totals.cash: {q}");
    assert!(num(&t["cash"]) >= Decimal::ZERO);
    (order.len() as u32, paid_n)
}

/// The lines' and shipping entries' `tenders` are the expected shares
/// (non-zero, in application order; the member only when not empty).
fn check_shares(ledger: &Ledger, q: &Value) {
    let read = |v: &Value| -> Vec<(String, Decimal)> {
        match v.get("tenders") {
            None => Vec::new(),
            Some(ts) => {
                let ts = ts.as_array().unwrap();
                assert!(!ts.is_empty(), "tenders only when not empty: {v}");
                ts.iter()
                    .map(|t| (t["tender"].as_str().unwrap().to_owned(), num(&t["amount"])))
                    .collect()
            }
        }
    };
    let lines = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&ledger.line_shares);
    let groups = q["shipping"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&ledger.group_shares);
    for (v, want) in lines.chain(groups) {
        let got = read(v);
        assert!(got.iter().all(|(_, a)| !a.is_zero()), "a zero share: {v}");
        assert_eq!(&got, want, "the tender shares of {v}");
    }
}
