//! Order submit at the reference server (`POST /api/order`): the trust
//! model of the checkout (SECURITY.md) as a route. The page sends the cart
//! it priced and the digest of the quote it showed. The server takes from
//! its own [`Shop`] what a client must not decide: the rules, each line's
//! product terms (store, category, tags, unit price, presale deposit,
//! freight template and weight) by sku, and the time; then it prices the
//! cart and accepts the order only when the digests are equal, that is
//! when the shopper saw exactly what
//! will be charged. (The buyer's tags, addresses, held and claimable
//! coupons and tender balances are account data a production server has;
//! this one takes them as sent. What each tender is worth comes from the
//! rules: a cart names it by id.)

use super::documents::FIELDS;
use crate::error::{Error, ErrorCode, Path};
use crate::input::fields::{array, string, Obj};
use crate::input::json::{Number, Value};
use crate::input::read_text;
use crate::input::rules::Rules;
use crate::quote::quote_at;
use crate::values::sort_by;

/// What a line says of its product, which the server takes from its
/// catalogue whatever the client sent.
/// (A cheaper template or a lighter weight would lower the freight.)
const TERMS: &[&str] = &[
    "store",
    "category",
    "tags",
    "unit_price",
    "presale",
    "template",
    "weight",
];

/// What the server prices orders with.
#[derive(Debug)]
pub struct Shop {
    rules: Rules,
    /// Each product's terms, by sku (sorted).
    products: Vec<(String, Vec<(String, Value)>)>,
    /// The shop's clock for the cart's `at`, if the catalogue sets one.
    now: Option<Value>,
}

impl Shop {
    /// A shop from a rules document and a catalogue,
    /// `{"products": [{"sku": ..., "store": ..., "unit_price": ..., "category"?, "tags"?, "presale"?, "template"?, "weight"?}], "now"?}`
    /// (other members, the page's, are ignored). Every product is checked
    /// as a cart line under the rules, so that a fault of the catalogue is
    /// found now and never reported as a client's.
    pub fn new(rules: &str, catalogue: &str) -> Result<Shop, Error> {
        let rules: Rules = rules.parse()?;
        let value = read_text(catalogue)?;
        let root = Path::ROOT;
        let o = Obj::any_keys(&value, &root)?;
        let products = o.read("products", |v, p| {
            array(v, p)?
                .iter()
                .enumerate()
                .map(|(i, v)| product(v, &p.index(i)))
                .collect::<Result<Vec<_>, Error>>()
        })?;
        let mut shop = Shop {
            rules,
            products,
            now: o.get("now").cloned(),
        };
        shop.check_products()?;
        sort_by(&mut shop.products, |a, b| a.0.cmp(&b.0));
        Ok(shop)
    }

    /// Every product as a line of a cart under the rules, in catalogue
    /// order, read and priced (a fault's path names the product).
    fn check_products(&self) -> Result<(), Error> {
        let lines = self
            .products
            .iter()
            .enumerate()
            .map(|(i, (sku, terms))| {
                let mut line = vec![
                    ("id".to_owned(), Value::String(format!("P{i}"))),
                    ("sku".to_owned(), Value::String(sku.clone())),
                    ("qty".to_owned(), Value::Number(Number::Int(1))),
                ];
                line.extend(terms.iter().cloned());
                Value::Object(line)
            })
            .collect();
        let mut cart = vec![("lines".to_owned(), Value::Array(lines))];
        if let Some(now) = &self.now {
            cart.push(("at".to_owned(), now.clone()));
        }
        // Read and priced, so that a product's template is checked against
        // its store's too (a template store's product must name one).
        let root = Path::ROOT;
        self.rules
            .cart_from_value(&Value::Object(cart))
            .and_then(|cart| quote_at(&self.rules, &cart, &root.key("cart")))
            .map(|_| ())
            .map_err(|e| {
                let path = e.path.replacen("cart.lines", "products", 1);
                Error::new(e.code, path, format!("the catalogue: {}", e.message))
            })
    }

    fn terms(&self, sku: &str) -> Option<&[(String, Value)]> {
        let i = self
            .products
            .binary_search_by(|(s, _)| s.as_str().cmp(sku))
            .ok()?;
        self.products.get(i).map(|(_, t)| t.as_slice())
    }

    /// The cart as the shop prices it: its clock, and each line's terms
    /// from the catalogue (a sku it does not sell is `invalid_id`). What
    /// is not in the shape of a cart is left for the cart's reader to
    /// report.
    fn impose(&self, cart: &mut Value) -> Result<(), Error> {
        let Value::Object(members) = cart else {
            return Ok(());
        };
        if let Some(now) = &self.now {
            members.retain(|(k, _)| k != "at");
            members.push(("at".to_owned(), now.clone()));
        }
        let Some((_, Value::Array(lines))) = members.iter_mut().find(|(k, _)| k == "lines") else {
            return Ok(());
        };
        let root = Path::ROOT;
        let cart_path = root.key("cart");
        let lines_path = cart_path.key("lines");
        for (i, line) in lines.iter_mut().enumerate() {
            let Value::Object(fields) = line else {
                continue;
            };
            let Some(Value::String(sku)) = fields.iter().find(|(k, _)| k == "sku").map(|(_, v)| v)
            else {
                continue;
            };
            let terms = self.terms(sku).ok_or_else(|| {
                lines_path
                    .index(i)
                    .key("sku")
                    .err(ErrorCode::InvalidId, "this shop sells no such sku")
            })?;
            fields.retain(|(k, _)| !TERMS.contains(&k.as_str()));
            fields.extend(terms.iter().cloned());
        }
        Ok(())
    }
}

/// A catalogue product: its sku and the terms it imposes.
fn product(value: &Value, path: &Path<'_>) -> Result<(String, Vec<(String, Value)>), Error> {
    let o = Obj::any_keys(value, path)?;
    let sku = o.read("sku", |v, p| string(v, p, "sku").map(str::to_owned))?;
    let terms = o
        .members()
        .iter()
        .filter(|(k, _)| TERMS.contains(&k.as_str()))
        .cloned()
        .collect();
    Ok((sku, terms))
}

/// The server's answer to an order.
pub(crate) struct Verdict {
    /// The digests are equal.
    pub accepted: bool,
    /// `{"accepted": ..., "quote": ...}` with the server's own quote.
    pub text: String,
}

/// Price the order request `body` as `shop` sells it and compare digests.
pub(crate) fn check(shop: &Shop, body: &str) -> Result<Verdict, Error> {
    let mut value = read_text(body)?;
    let root = Path::ROOT;
    Obj::new(&value, &root, FIELDS)?;
    if let Value::Object(members) = &mut value {
        if let Some((_, cart)) = members.iter_mut().find(|(k, _)| k == "cart") {
            shop.impose(cart)?;
        }
    }
    let o = Obj::new(&value, &root, FIELDS)?;
    let cart = o.read("cart", |v, _| shop.rules.cart_from_value(v))?;
    let shown = o.read("digest", |v, p| string(v, p, "digest").map(str::to_owned))?;
    let quote = quote_at(&shop.rules, &cart, &root.key("cart"))?;
    let accepted = quote.digest.as_str() == shown;
    let text = format!("{{\"accepted\":{accepted},\"quote\":{}}}", quote.to_json());
    Ok(Verdict { accepted, text })
}
