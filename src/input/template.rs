//! Freight templates (运费模板, contract section 2, version 3): a store's
//! templates, each charging by pieces or by weight with a default rule and
//! rules for regions (首件/续件, 首重/续重), conditions for free shipping
//! (指定条件包邮) and regions it does not ship to (不配送), and the regions
//! of the buyer's addresses they are judged against.

use super::fields::{self, array_at_most, Obj};
use super::json::Value;
use crate::error::{Error, ErrorCode, Path};
use crate::schema::shape;
use crate::values::{try_collect, Id, Money, Qty};
use rust_decimal::Decimal;

/// The most entries in each array of a template.
pub(crate) const MAX_TEMPLATE_ENTRIES: usize = 1000;
/// The most templates of all stores together.
pub(crate) const MAX_TEMPLATES: usize = 2000;

shape! {
    /// A freight template (运费模板): by pieces or by weight, a default rule
    /// (首件/首重 and its fee, 续件/续重 and its fee), rules for regions, conditions
    /// for free shipping (指定条件包邮) and regions it does not ship to (不配送).
    const TEMPLATE_FIELDS, fn template_shape = "Template" {
        /// `piece` (default: `first` and `extra` are quantities of units) or `weight`
        /// (measures in kilograms).
        "by" opt one_of([Const("piece"), Const("weight")]),
        /// 首件 or 首重: the goods the first fee covers.
        "first" req one_of([Qty, Measure]),
        /// The fee of the first units or weight.
        "first_fee" req MoneyInput,
        /// 续件 or 续重: each further step of goods.
        "extra" req one_of([Qty, Measure]),
        /// The fee of each further step.
        "extra_fee" req MoneyInput,
        /// Rules for regions: the deepest entry covering the destination wins.
        "regions" opt at_most(array(Ref("RegionRule")), MAX_TEMPLATE_ENTRIES),
        /// 指定条件包邮: conditions under which this template's goods ship free.
        "free" opt at_most(array(Ref("FreeShipping")), MAX_TEMPLATE_ENTRIES),
        /// 不配送地区: regions it does not ship to.
        "no_delivery" opt at_most(array(Region), MAX_TEMPLATE_ENTRIES),
    }
}

shape! {
    /// A template's rule for some regions.
    const RULE_FIELDS, fn rule_shape = "RegionRule" {
        /// The regions it covers.
        "regions" req at_most(array(Region), MAX_TEMPLATE_ENTRIES),
        /// 首件 or 首重.
        "first" req one_of([Qty, Measure]),
        /// The fee of the first units or weight.
        "first_fee" req MoneyInput,
        /// 续件 or 续重.
        "extra" req one_of([Qty, Measure]),
        /// The fee of each further step.
        "extra_fee" req MoneyInput,
    }
}

shape! {
    /// 指定条件包邮: the template's goods ship free to the regions it covers once each
    /// condition present is reached.
    const FREE_FIELDS, fn free_shape = "FreeShipping" {
        /// The regions it covers. Absent: every destination, even an unknown one.
        "regions" opt at_most(array(Region), MAX_TEMPLATE_ENTRIES),
        /// The least sum of the finals of the template's lines in the package.
        "amount" opt MoneyInput,
        /// The least number of units of the template's lines in the package.
        "qty" opt Qty,
    }
}

shape! {
    /// One of the buyer's addresses.
    const ADDRESS_FIELDS, fn address_shape = "Address" {
        /// Its region, from the largest area to the smallest (`浙江/杭州/西湖`).
        "region" req Region,
    }
}

/// A region: `/`-separated segments from the largest area to the smallest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Region(Id);

impl Region {
    /// Whether this region covers `other`: equal, or `other` begins with it
    /// followed by `/`.
    pub(crate) fn covers(&self, other: &Region) -> bool {
        let (r, a) = (self.0.as_str(), other.0.as_str());
        a.strip_prefix(r)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// Its number of segments.
    fn depth(&self) -> usize {
        self.0.as_str().split('/').count()
    }
}

/// How a template measures goods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum By {
    /// Units.
    Piece,
    /// Kilograms of `weight * qty`.
    Weight,
}

/// 首件/首重 and 续件/续重 with their fees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rule {
    /// The goods the first fee covers.
    pub first: Decimal,
    /// The first fee.
    pub first_fee: Money,
    /// Each further step of goods.
    pub extra: Decimal,
    /// The fee of each step.
    pub extra_fee: Money,
}

/// A condition for free shipping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Free {
    /// The regions it covers (`None`: every destination).
    pub regions: Option<Vec<Region>>,
    /// The least sum of finals.
    pub amount: Option<Money>,
    /// The least number of units.
    pub qty: Option<Qty>,
}

/// A freight template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Template {
    /// Its id in its store.
    pub id: Id,
    /// How it measures goods.
    pub by: By,
    /// The rule where no region rule covers the destination.
    pub default: Rule,
    /// Rules for regions, in order.
    pub regions: Vec<(Vec<Region>, Rule)>,
    /// Conditions for free shipping.
    pub free: Vec<Free>,
    /// Regions it does not ship to.
    pub no_delivery: Vec<Region>,
}

impl Template {
    /// The rule for `destination`: the deepest covering region entry (a
    /// tie: the first), else the default.
    pub(crate) fn rule(&self, destination: Option<&Region>) -> &Rule {
        let Some(dest) = destination else {
            return &self.default;
        };
        let mut best: Option<(usize, &Rule)> = None;
        for (regions, rule) in &self.regions {
            let depth = regions
                .iter()
                .filter(|r| r.covers(dest))
                .map(Region::depth)
                .max();
            if let Some(d) = depth {
                if best.is_none_or(|(b, _)| d > b) {
                    best = Some((d, rule));
                }
            }
        }
        best.map_or(&self.default, |(_, rule)| rule)
    }

    /// Whether it does not ship to `destination`.
    pub(crate) fn refuses(&self, destination: Option<&Region>) -> bool {
        destination.is_some_and(|d| self.no_delivery.iter().any(|r| r.covers(d)))
    }

    /// Whether goods of finals `amount` and `qty` units ship free to
    /// `destination`.
    pub(crate) fn free_for(&self, destination: Option<&Region>, amount: Money, qty: u32) -> bool {
        self.free.iter().any(|f| {
            let covers = match (&f.regions, destination) {
                (None, _) => true,
                (Some(rs), Some(d)) => rs.iter().any(|r| r.covers(d)),
                (Some(_), None) => false,
            };
            covers && f.amount.is_none_or(|a| amount >= a) && f.qty.is_none_or(|q| qty >= q.get())
        })
    }
}

/// A region at `path` (checked like an id; no segment may be empty).
pub(crate) fn region(value: &Value, path: &Path<'_>) -> Result<Region, Error> {
    let id = fields::id(value, path)?;
    if id.as_str().split('/').any(str::is_empty) {
        return Err(path.err(ErrorCode::InvalidId, "a region segment must not be empty"));
    }
    Ok(Region(id))
}

/// A list of regions, at most [`MAX_TEMPLATE_ENTRIES`].
fn region_list(value: &Value, path: &Path<'_>) -> Result<Vec<Region>, Error> {
    let items = array_at_most(value, path, MAX_TEMPLATE_ENTRIES, "regions")?;
    try_collect(
        items
            .iter()
            .enumerate()
            .map(|(i, v)| region(v, &path.index(i))),
    )
}

/// A store's `templates`, counting them into `count` (at most
/// [`MAX_TEMPLATES`] in all stores).
pub(crate) fn templates(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    count: &mut usize,
) -> Result<Vec<Template>, Error> {
    let o = Obj::any_keys(value, path)?;
    *count = count.saturating_add(o.members().len());
    if *count > MAX_TEMPLATES {
        return Err(path.too_many(MAX_TEMPLATES, "templates in all stores"));
    }
    let mut out = Vec::with_capacity(o.members().len());
    for (k, tv) in o.members() {
        let kp = path.key(k);
        let id = fields::key_id(k, &kp)?;
        out.push(template(tv, &kp, id, scale)?);
    }
    Ok(out)
}

fn template(value: &Value, path: &Path<'_>, id: Id, scale: u32) -> Result<Template, Error> {
    let o = Obj::new(value, path, TEMPLATE_FIELDS)?;
    let by = o.read_opt("by", read_by)?.unwrap_or(By::Piece);
    let default = read_rule(&o, by, scale)?;
    let rules = o
        .read_opt("regions", |v, p| {
            let items = array_at_most(v, p, MAX_TEMPLATE_ENTRIES, "region rules")?;
            try_collect(items.iter().enumerate().map(|(i, ev)| {
                let ep = p.index(i);
                let e = Obj::new(ev, &ep, RULE_FIELDS)?;
                Ok((e.read("regions", region_list)?, read_rule(&e, by, scale)?))
            }))
        })?
        .unwrap_or_default();
    let free = o
        .read_opt("free", |v, p| {
            let items = array_at_most(v, p, MAX_TEMPLATE_ENTRIES, "free entries")?;
            try_collect(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, ev)| free(ev, &p.index(i), scale)),
            )
        })?
        .unwrap_or_default();
    let no_delivery = o.read_opt("no_delivery", region_list)?.unwrap_or_default();
    Ok(Template {
        id,
        by,
        default,
        regions: rules,
        free,
        no_delivery,
    })
}

/// `by`: `piece` or `weight`.
fn read_by(value: &Value, path: &Path<'_>) -> Result<By, Error> {
    match fields::string(value, path, "by")? {
        "piece" => Ok(By::Piece),
        "weight" => Ok(By::Weight),
        other => Err(path.err(
            ErrorCode::InvalidTemplate,
            format!("by must be piece or weight, not '{other}'"),
        )),
    }
}

/// The four values of a rule, `first` and `extra` as `by` measures them.
fn read_rule(o: &Obj<'_, '_>, by: By, scale: u32) -> Result<Rule, Error> {
    let goods = |v: &Value, p: &Path<'_>| match by {
        By::Piece => fields::qty(v, p, 1).map(|q| Decimal::from(q.get())),
        By::Weight => fields::measure(v, p),
    };
    Ok(Rule {
        first: o.read("first", goods)?,
        first_fee: o.read("first_fee", |v, p| fields::money(v, p, scale))?,
        extra: o.read("extra", goods)?,
        extra_fee: o.read("extra_fee", |v, p| fields::money(v, p, scale))?,
    })
}

/// A `free` entry, with at least one of `amount` and `qty`.
fn free(value: &Value, path: &Path<'_>, scale: u32) -> Result<Free, Error> {
    let o = Obj::new(value, path, FREE_FIELDS)?;
    let f = Free {
        regions: o.read_opt("regions", region_list)?,
        amount: o.read_opt("amount", |v, p| fields::money(v, p, scale))?,
        qty: o.read_opt("qty", |v, p| fields::qty(v, p, 1))?,
    };
    if f.amount.is_none() && f.qty.is_none() {
        return Err(path.err(
            ErrorCode::InvalidTemplate,
            "a free entry needs amount or qty",
        ));
    }
    Ok(f)
}

/// `cart.buyer.addresses`: ids to regions, at most `max`.
pub(crate) fn addresses(
    value: &Value,
    path: &Path<'_>,
    max: usize,
) -> Result<Vec<(Id, Region)>, Error> {
    let o = Obj::any_keys(value, path)?;
    if o.members().len() > max {
        return Err(path.too_many(max, "addresses"));
    }
    try_collect(o.members().iter().map(|(k, av)| {
        let kp = path.key(k);
        let id = fields::key_id(k, &kp)?;
        let a = Obj::new(av, &kp, ADDRESS_FIELDS)?;
        Ok((id, a.read("region", region)?))
    }))
}
