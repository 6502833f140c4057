//! 拆单 and 结算: settlement per child order (contract section 7).
//!
//! A quote splits into child orders, one per distinct (store, `ship_to`)
//! of its lines, in order of their first line. Each order's payable is its
//! lines' finals plus its shipping group's fee; what funded its discounts
//! is summed by the `funded_by` of each promotion (the `presale`
//! expansion is the store's); and the store receives (商家实收) the payable
//! plus what the platform and the government funded.

use super::quote_doc::{Depth, QuoteDoc, QuotedDiscount};
use super::tender_doc::QuotedShare;
use crate::error::{Error, ErrorCode, Path};
use crate::input::fields::Obj;
use crate::input::json::Value;
use crate::output::document::Quote;
use crate::schema::shape;
use crate::values::{Funder, Id, Money, TenderFunder};
use crate::wire::document;

document! {
    /// A quote split into child orders, with what each store receives.
    ///
    /// ```
    /// let quote = manjian::quote_from_str(r#"{"rules": {"currency": "CNY"}, "cart": {"lines": [
    ///     {"id": "L1", "sku": "tea", "store": "s1", "unit_price": "30.00", "qty": 1},
    ///     {"id": "L2", "sku": "cup", "store": "s2", "unit_price": "12.50", "qty": 2}]}}"#)?;
    /// let split = manjian::settle(&quote)?;
    /// assert_eq!(split.orders.len(), 2);
    /// assert_eq!(split.orders[1].receivable.to_string(), "25.00");
    /// # Ok::<(), manjian::Error>(())
    /// ```
    pub struct Settlement {
        /// One per distinct store and address of the lines, in the order of
        /// their first line.
        "orders" => orders: Vec<ChildOrder>,
        /// The sums over the orders.
        "total" => total: SettlementTotal,
    }
}

document! {
    /// One child order: a store's lines to one address.
    pub struct ChildOrder {
        /// Store id.
        "store" => store: Id,
        /// The address, for an order of lines with one.
        "ship_to" => ship_to: Option<Id>,
        /// Its line ids, in cart order.
        "lines" => lines: Vec<Id>,
        /// The sum of its lines' `list`.
        "list" => list: Money,
        /// The sum of its lines' `final`.
        "goods" => goods: Money,
        /// Its shipping group's fee (0 without one).
        "shipping" => shipping: Money,
        /// `goods + shipping`: what the buyer pays for it.
        "payable" => payable: Money,
        /// Its lines' discounts and its group's shipping discounts, by who
        /// funded them.
        "funded" => funded: Funded,
        /// Version 3, only when the quote has `tenders`: its lines' and its group's tender
        /// shares, by who funds each tender.
        "tenders" => tenders: Option<TendersFunded>,
        /// Version 3, only when the quote has `tenders`: `payable` minus the tenders, all the
        /// buyer paid in money for it (a presale deposit included).
        "cash" => cash: Option<Money>,
        /// 商家实收, what the marketplace settles to the store: `payable` plus what
        /// the platform and the government funded, less the tenders the store funds.
        "receivable" => receivable: Money,
    }
}

document! {
    /// Discounts by who funded them (every key always present).
    pub struct Funded {
        /// The discounts the store pays for, presale expansions included.
        "store" => store: Money,
        /// The discounts the platform pays for.
        "platform" => platform: Money,
        /// The discounts the government pays for (国补).
        "government" => government: Money,
    }
}

document! {
    /// The sums of a settlement's child orders.
    pub struct SettlementTotal {
        /// The sum of the orders' `list`.
        "list" => list: Money,
        /// The sum of the orders' `goods`.
        "goods" => goods: Money,
        /// The sum of the orders' `shipping`.
        "shipping" => shipping: Money,
        /// Sum of `payable` (the quote's payable).
        "payable" => payable: Money,
        /// The sum of the orders' `funded`, by funder.
        "funded" => funded: Funded,
        /// Version 3: the sum of the orders' `tenders`, by funder.
        "tenders" => tenders: Option<TendersFunded>,
        /// Version 3: the sum of the orders' `cash`.
        "cash" => cash: Option<Money>,
        /// The sum of the orders' `receivable` (商家实收).
        "receivable" => receivable: Money,
    }
}

document! {
    /// Tender shares by who funds each tender (every key always present).
    pub struct TendersFunded {
        /// The buyer's own prepaid money (礼品卡, 购物金本金, a trade-in valuation).
        "buyer" => buyer: Money,
        /// The tenders the store funds: taken off what it receives.
        "store" => store: Money,
        /// The tenders the platform funds.
        "platform" => platform: Money,
        /// The tenders the government funds.
        "government" => government: Money,
    }
}

impl TendersFunded {
    /// Nothing from anyone.
    fn zero(zero: Money) -> TendersFunded {
        TendersFunded {
            buyer: zero,
            store: zero,
            platform: zero,
            government: zero,
        }
    }

    /// Add `amount` to what `funder` funds.
    fn add(&mut self, funder: TenderFunder, amount: Money) {
        let slot = match funder {
            TenderFunder::Buyer => &mut self.buyer,
            TenderFunder::Store => &mut self.store,
            TenderFunder::Platform => &mut self.platform,
            TenderFunder::Government => &mut self.government,
        };
        *slot = slot.plus(amount);
    }

    /// The sum over every funder.
    fn sum(&self) -> Money {
        self.buyer
            .plus(self.store)
            .plus(self.platform)
            .plus(self.government)
    }

    /// The sums by funder of two.
    fn plus(&self, other: &TendersFunded) -> TendersFunded {
        TendersFunded {
            buyer: self.buyer.plus(other.buyer),
            store: self.store.plus(other.store),
            platform: self.platform.plus(other.platform),
            government: self.government.plus(other.government),
        }
    }
}

/// Add the tender shares `shares` to `funded`, by their tenders' funders.
fn add_shares(quote: &QuoteDoc, shares: &[QuotedShare], funded: &mut Option<TendersFunded>) {
    let listed = quote.tenders.as_deref().unwrap_or_default();
    if let Some(f) = funded.as_mut() {
        for s in shares {
            if let Some(t) = listed.get(s.tender) {
                f.add(t.funded_by, s.amount);
            }
        }
    }
}

shape! {
    /// What `settle` takes: a quote.
    const FIELDS, fn settle_input_shape = "SettleInput" {
        /// The quote to split into child orders (拆单). Its digest is not re-checked.
        "quote" req Ref("Quote"),
    }
}

impl Funded {
    fn zero(zero: Money) -> Funded {
        Funded {
            store: zero,
            platform: zero,
            government: zero,
        }
    }

    fn add(&mut self, funder: Funder, amount: Money) {
        let slot = match funder {
            Funder::Store => &mut self.store,
            Funder::Platform => &mut self.platform,
            Funder::Government => &mut self.government,
        };
        *slot = slot.plus(amount);
    }

    fn plus(&self, other: &Funded) -> Funded {
        Funded {
            store: self.store.plus(other.store),
            platform: self.platform.plus(other.platform),
            government: self.government.plus(other.government),
        }
    }
}

/// Who funded a discount naming `promotion`: the quote's promotion of that
/// id (`presale`, if not listed, is the store's).
fn funder(quote: &QuoteDoc, promotion: &Id) -> Option<Funder> {
    quote
        .promotions
        .iter()
        .find(|p| &p.id == promotion)
        .map(|p| p.funded_by)
        .or((promotion.as_str() == "presale").then_some(Funder::Store))
}

/// Every discount names a promotion the quote lists (a line's may also
/// name `presale`): `invalid_id` at the first that does not.
fn check_funders(quote: &QuoteDoc, path: &Path<'_>) -> Result<(), Error> {
    let listed = |id: &Id| quote.promotions.iter().any(|p| &p.id == id);
    let line_ok = |d: &QuotedDiscount| funder(quote, &d.promotion).is_some();
    let fee_ok = |d: &QuotedDiscount| listed(&d.promotion);
    let first_bad = |ds: &[QuotedDiscount], ok: &dyn Fn(&QuotedDiscount) -> bool| {
        ds.iter()
            .enumerate()
            .find(|(_, d)| !ok(d))
            .map(|(j, d)| (j, d.promotion.clone()))
    };
    let bad = quote
        .lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| first_bad(&l.discounts, &line_ok).map(|(j, id)| ("lines", i, j, id)))
        .or_else(|| {
            quote.shipping.iter().enumerate().find_map(|(k, s)| {
                first_bad(&s.discounts, &fee_ok).map(|(j, id)| ("shipping", k, j, id))
            })
        });
    let Some((member, i, j, id)) = bad else {
        return Ok(());
    };
    let list = path.key(member);
    let item = list.index(i);
    let discounts = item.key("discounts");
    let discount = discounts.index(j);
    Err(discount.key("promotion").err(
        ErrorCode::InvalidId,
        format!("the quote's promotions do not list '{id}'"),
    ))
}

/// Settle a typed quote (`crate::settle`).
pub(crate) fn settle_quote(quote: &Quote) -> Result<Settlement, Error> {
    let path = Path::ROOT.key("quote");
    let doc = QuoteDoc::of(quote, &path, Depth::Funding)?;
    check_funders(&doc, &path)?;
    Ok(settle(&doc))
}

/// Read a settlement request `{"quote": ...}` and settle it.
pub(crate) fn settle_value(value: &Value) -> Result<Settlement, Error> {
    let root = Path::ROOT;
    let o = Obj::new(value, &root, FIELDS)?;
    let quote = o.read("quote", |v, p| QuoteDoc::parse(v, p, Depth::Funding))?;
    check_funders(&quote, &root.key("quote"))?;
    Ok(settle(&quote))
}

/// The child orders of a checked quote document, and their sums.
fn settle(quote: &QuoteDoc) -> Settlement {
    let zero = quote.currency.zero();
    let mut orders: Vec<ChildOrder> = Vec::new();
    for l in &quote.lines {
        let i = match orders
            .iter()
            .position(|o| o.store == l.store && o.ship_to == l.ship_to)
        {
            Some(i) => i,
            None => {
                orders.push(open_order(quote, &l.store, l.ship_to.as_ref(), zero));
                orders.len().saturating_sub(1)
            }
        };
        let Some(order) = orders.get_mut(i) else {
            continue;
        };
        order.lines.push(l.id.clone());
        order.list = order.list.plus(l.list.unwrap_or(zero));
        order.goods = order.goods.plus(l.final_amount);
        for d in &l.discounts {
            if let Some(f) = funder(quote, &d.promotion) {
                order.funded.add(f, d.amount);
            }
        }
        add_shares(quote, &l.tenders, &mut order.tenders);
    }
    for order in &mut orders {
        order.payable = order.goods.plus(order.shipping);
        let by_store = order.tenders.as_ref().map_or(zero, |t| t.store);
        order.cash = order.tenders.as_ref().map(|t| order.payable.minus(t.sum()));
        order.receivable = order
            .payable
            .plus(order.funded.platform)
            .plus(order.funded.government)
            .minus(by_store);
    }
    let with_tenders = quote.tenders.is_some();
    let total = orders.iter().fold(
        SettlementTotal {
            list: zero,
            goods: zero,
            shipping: zero,
            payable: zero,
            funded: Funded::zero(zero),
            tenders: with_tenders.then(|| TendersFunded::zero(zero)),
            cash: with_tenders.then_some(zero),
            receivable: zero,
        },
        |t, o| SettlementTotal {
            list: t.list.plus(o.list),
            goods: t.goods.plus(o.goods),
            shipping: t.shipping.plus(o.shipping),
            payable: t.payable.plus(o.payable),
            funded: t.funded.plus(&o.funded),
            tenders: t.tenders.zip(o.tenders.as_ref()).map(|(a, b)| a.plus(b)),
            cash: t.cash.zip(o.cash).map(|(a, b)| a.plus(b)),
            receivable: t.receivable.plus(o.receivable),
        },
    );
    Settlement { orders, total }
}

/// A new child order for (store, address), with its shipping group's fee
/// and the funding of that fee's discounts.
fn open_order(quote: &QuoteDoc, store: &Id, ship_to: Option<&Id>, zero: Money) -> ChildOrder {
    let group = quote
        .shipping
        .iter()
        .find(|s| &s.store == store && s.ship_to.as_ref() == ship_to);
    let mut funded = Funded::zero(zero);
    for d in group.map(|g| g.discounts.as_slice()).unwrap_or(&[]) {
        if let Some(f) = funder(quote, &d.promotion) {
            funded.add(f, d.amount);
        }
    }
    let mut tenders = quote.tenders.as_ref().map(|_| TendersFunded::zero(zero));
    add_shares(
        quote,
        group.map(|g| g.tenders.as_slice()).unwrap_or(&[]),
        &mut tenders,
    );
    ChildOrder {
        store: store.clone(),
        ship_to: ship_to.cloned(),
        lines: Vec::new(),
        list: zero,
        goods: zero,
        shipping: group.map_or(zero, |g| g.fee),
        payable: zero,
        funded,
        tenders,
        cash: None,
        receivable: zero,
    }
}
