//! Freight: each shipping group's fee before shipping promotions,
//! re-derived from its store's flat fee or freight templates (contract
//! section 3, step 4, and section 10).

use super::{covers, destination, in_group, num, opt_num};
use rust_decimal::Decimal;
use serde_json::Value;

/// A line of a group: the input line and its quoted final.
type GroupLine<'a> = (&'a Value, Decimal);

/// Each shipping group's fee before shipping promotions (its `fee` plus
/// its discounts) is what its store's `shipping` or templates give, and a
/// quoted cart has no line that its template does not deliver. The number
/// of groups of template stores checked.
pub fn check_fees(input: &Value, q: &Value) -> u32 {
    assert_eq!(
        first_undeliverable(input),
        None,
        "a quote for an undeliverable cart: {q}"
    );
    let mut n = 0;
    for g in q["shipping"].as_array().unwrap() {
        let store = &input["rules"]["stores"][g["store"].as_str().unwrap()];
        let lines: Vec<GroupLine> = input["cart"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .zip(q["lines"].as_array().unwrap())
            .filter(|(l, _)| in_group(l, g))
            .map(|(l, ql)| (l, num(&ql["final"])))
            .collect();
        let goods: Decimal = lines.iter().map(|(_, f)| f).sum();
        let want = if let Some(ts) = store.get("templates").filter(|t| !t.is_null()) {
            n += 1;
            template_fee(ts, &lines, destination(input, g.get("ship_to")))
        } else if let Some(sh) = store.get("shipping").filter(|s| !s.is_null()) {
            let free = opt_num(sh, "free_over").is_some_and(|f| goods >= f);
            if free {
                Decimal::ZERO
            } else {
                num(&sh["fee"])
            }
        } else {
            Decimal::ZERO
        };
        let off: Decimal = g
            .get("discounts")
            .and_then(Value::as_array)
            .map_or(Decimal::ZERO, |ds| {
                ds.iter().map(|d| num(&d["amount"])).sum()
            });
        assert_eq!(
            num(&g["fee"]) + off,
            want,
            "the fee of group {g} in {input}"
        );
    }
    n
}

/// The first line of the cart, in cart order, whose template does not
/// deliver to its group's destination (the contract's `undeliverable`
/// at `cart.lines[N].ship_to`), if any.
pub fn first_undeliverable(input: &Value) -> Option<usize> {
    let lines = input["cart"]["lines"].as_array()?;
    lines.iter().position(|l| {
        let Some(id) = l.get("template").and_then(Value::as_str) else {
            return false;
        };
        let t = &input["rules"]["stores"][l["store"].as_str().unwrap_or("")]["templates"][id];
        let Some(dest) = destination(input, l.get("ship_to")) else {
            return false;
        };
        t.get("no_delivery")
            .and_then(Value::as_array)
            .is_some_and(|rs| rs.iter().any(|r| covers(r.as_str().unwrap(), dest)))
    })
}

/// A group's fee by its lines' templates: parts per template in the order
/// of their first line; free parts cost nothing; the lead part (highest
/// `first_fee`, then lowest `extra_fee`, then first) pays its first
/// units and extra ones, the others only extra units.
fn template_fee(templates: &Value, lines: &[GroupLine], dest: Option<&str>) -> Decimal {
    let mut ids: Vec<&str> = Vec::new();
    for (l, _) in lines {
        let id = l["template"].as_str().unwrap();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    // Of the parts that are not free: (rule, Q).
    let mut charged: Vec<(&Value, Decimal)> = Vec::new();
    for id in ids {
        let t = &templates[id];
        let part: Vec<&GroupLine> = lines.iter().filter(|(l, _)| l["template"] == id).collect();
        let weight = t["by"] == "weight";
        let pieces: Decimal = part.iter().map(|(l, _)| num(&l["qty"])).sum();
        let amount: Decimal = part.iter().map(|(_, f)| *f).sum();
        let goods: Decimal = match weight {
            true => part
                .iter()
                .map(|(l, _)| num(&l["weight"]) * num(&l["qty"]))
                .sum(),
            false => pieces,
        };
        let free = t
            .get("free")
            .and_then(Value::as_array)
            .is_some_and(|es| es.iter().any(|e| free_holds(e, dest, amount, pieces)));
        if !free {
            charged.push((rule(t, dest), goods));
        }
    }
    let mut lead: Option<usize> = None;
    for (i, (r, _)) in charged.iter().enumerate() {
        let better = lead.is_none_or(|k| {
            let (b, _) = charged[k];
            let (f, bf) = (num(&r["first_fee"]), num(&b["first_fee"]));
            f > bf || (f == bf && num(&r["extra_fee"]) < num(&b["extra_fee"]))
        });
        if better {
            lead = Some(i);
        }
    }
    charged
        .iter()
        .enumerate()
        .map(|(i, (r, goods))| {
            let extra = |over: Decimal| ceil_div(over, num(&r["extra"])) * num(&r["extra_fee"]);
            match Some(i) == lead {
                true => {
                    let over = (*goods - num(&r["first"])).max(Decimal::ZERO);
                    num(&r["first_fee"]) + extra(over)
                }
                false => extra(*goods),
            }
        })
        .sum()
}

/// The rule of a template for `dest`: of its `regions` entries with a
/// region covering it, the deepest (most segments; a tie, the first);
/// else the template's own.
fn rule<'a>(t: &'a Value, dest: Option<&str>) -> &'a Value {
    let (Some(dest), Some(entries)) = (dest, t.get("regions").and_then(Value::as_array)) else {
        return t;
    };
    let mut best: Option<(usize, &Value)> = None;
    for e in entries {
        let depth = e["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .filter(|r| covers(r, dest))
            .map(|r| r.split('/').count())
            .max();
        if let Some(d) = depth {
            if best.is_none_or(|(b, _)| d > b) {
                best = Some((d, e));
            }
        }
    }
    best.map_or(t, |(_, e)| e)
}

/// Whether a `free` entry holds for a part: it covers the destination
/// (without `regions`, every one, even none), and its `amount` and `qty`
/// are reached.
fn free_holds(e: &Value, dest: Option<&str>, amount: Decimal, pieces: Decimal) -> bool {
    let covered = match e.get("regions").and_then(Value::as_array) {
        None => true,
        Some(rs) => dest.is_some_and(|d| rs.iter().any(|r| covers(r.as_str().unwrap(), d))),
    };
    covered
        && opt_num(e, "amount").is_none_or(|a| amount >= a)
        && opt_num(e, "qty").is_none_or(|n| pieces >= n)
}

/// `ceil(x / step)`, exactly (for `x >= 0`, `step > 0`).
fn ceil_div(x: Decimal, step: Decimal) -> Decimal {
    let mut n = (x / step).floor();
    while n * step < x {
        n += Decimal::ONE;
    }
    while n > Decimal::ZERO && (n - Decimal::ONE) * step >= x {
        n -= Decimal::ONE;
    }
    n
}
