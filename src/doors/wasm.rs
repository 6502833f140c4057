//! The JavaScript door (contract section 9), compiled only for wasm32.
//!
//! Plain objects shaped like the contract's documents go in as the host's
//! `JSON.stringify` text (one crossing per document, read by the engine's
//! JSON reader) and come out through the host's `JSON.parse` of the
//! engine's canonical text (one crossing again); money travels as strings,
//! and a JS number with a fraction is judged by its shortest form, as the
//! contract says. Invalid input throws a JS `Error` whose `code` and
//! `path` carry the contract's error. The functions here only convert and
//! call: every rule lives in the core.

#[cfg(feature = "bench")]
use crate::error::Path;
use crate::error::{Error, MAX_INPUT_BYTES};
use crate::input::{self, json::Value, rules::Rules};
use crate::operation::Operation;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The package's TypeScript types of every document, generated from the
/// engine's declarations (`scripts/generate.sh`; a native test fails when
/// the committed file is not what the generator writes).
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("manjian.d.ts");

#[wasm_bindgen]
extern "C" {
    /// `{rules, cart}`.
    #[wasm_bindgen(typescript_type = "QuoteInput")]
    pub type QuoteInputJs;
    /// A rules document.
    #[wasm_bindgen(typescript_type = "Rules")]
    pub type RulesJs;
    /// A cart document.
    #[wasm_bindgen(typescript_type = "Cart")]
    pub type CartJs;
    /// A quote.
    #[wasm_bindgen(typescript_type = "Quote")]
    pub type QuoteJs;
    /// `{quote, returns}`.
    #[wasm_bindgen(typescript_type = "RefundInput")]
    pub type RefundInputJs;
    /// A refund.
    #[wasm_bindgen(typescript_type = "Refund")]
    pub type RefundJs;
    /// `{original, rules, at, claimable?, refunded?}`.
    #[wasm_bindgen(typescript_type = "ProtectInput")]
    pub type ProtectInputJs;
    /// Price-protection claims.
    #[wasm_bindgen(typescript_type = "Protection")]
    pub type ProtectionJs;
    /// `{quote}`.
    #[wasm_bindgen(typescript_type = "SettleInput")]
    pub type SettleInputJs;
    /// A settlement.
    #[wasm_bindgen(typescript_type = "Settlement")]
    pub type SettlementJs;
}

/// The contract's error as a thrown JS `Error` with `code` and `path`.
fn throw(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name("ManjianError");
    let obj: &JsValue = err.as_ref();
    let _ = js_sys::Reflect::set(obj, &"code".into(), &e.code.as_str().into());
    let _ = js_sys::Reflect::set(obj, &"path".into(), &e.path.as_str().into());
    err.into()
}

#[wasm_bindgen(inline_js = "
export function toJsonText(v) {
  const t = JSON.stringify(v);
  return typeof t === 'string' && t.includes('null')
    ? JSON.stringify(v, (k, x) =>
        typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)
    : t;
}
")]
extern "C" {
    /// `JSON.stringify`, with `NaN` and the infinities written as the
    /// strings `\"NaN\"` and `\"Infinity\"` (plain `JSON.stringify` makes
    /// them `null`, which the contract reads as absent), so that they are
    /// rejected at their path like any other malformed number.
    /// Plain `JSON.stringify` first: a non-finite number can only be in
    /// the value if its text has a `null`, and the replacer, called for
    /// every member, costs more than the stringify itself.
    #[wasm_bindgen(js_name = toJsonText, catch)]
    fn to_json_text(v: &JsValue) -> Result<JsValue, JsValue>;
}

/// A JS value as the engine's JSON tree, through one crossing: the host
/// writes it as JSON text, the engine reads the text. Anything
/// `JSON.stringify` refuses (a bigint, a cycle) or that is not a document
/// (`undefined`, a function) is `invalid_json`.
fn from_js(v: JsValue) -> Result<Value, Error> {
    let text = to_json_text(&v).map_err(|e| {
        Error::not_json(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default(),
        )
    })?;
    let text = text
        .as_string()
        .ok_or_else(|| Error::not_json("undefined"))?;
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::too_large());
    }
    input::json::parse(&text)
}

/// A document as a plain JS object, built by the host's `JSON.parse` from
/// the engine's canonical JSON: much cheaper than creating each object and
/// string through the boundary.
fn to_js<J: JsCast>(text: &str) -> Result<J, JsValue> {
    js_sys::JSON::parse(text)
        .map(JsCast::unchecked_into)
        .map_err(|_| {
            throw(Error::internal(
                "the host could not read the engine's output",
            ))
        })
}

/// Run `op` on a JS document; the output as a JS object.
fn run_js<J: JsCast>(op: Operation, input: JsValue) -> Result<J, JsValue> {
    let text = from_js(input)
        .and_then(|v| op.value_to_string(&v))
        .map_err(throw)?;
    to_js(&text)
}

/// Quote `{rules, cart}`. Throws a `ManjianError` on invalid input.
#[wasm_bindgen]
pub fn quote(input: QuoteInputJs) -> Result<QuoteJs, JsValue> {
    run_js(Operation::Quote, input.into())
}

/// Refund returned units of a quote. Throws a `ManjianError` on invalid
/// input.
#[wasm_bindgen]
pub fn refund(input: RefundInputJs) -> Result<RefundJs, JsValue> {
    run_js(Operation::Refund, input.into())
}

/// Price protection (价保) claims. Throws a `ManjianError` on invalid input.
#[wasm_bindgen]
pub fn protect(input: ProtectInputJs) -> Result<ProtectionJs, JsValue> {
    run_js(Operation::Protect, input.into())
}

/// Settle a quote into child orders (拆单) with what each store receives
/// (商家实收). Throws a `ManjianError` on invalid input.
#[wasm_bindgen]
pub fn settle(input: SettleInputJs) -> Result<SettlementJs, JsValue> {
    run_js(Operation::Settle, input.into())
}

/// Quote from JSON text to JSON text (the fastest crossing for callers
/// that already hold JSON). Throws a `ManjianError` on invalid input.
#[wasm_bindgen(js_name = quoteJson)]
pub fn quote_json(input: &str) -> Result<String, JsValue> {
    Operation::Quote.str_to_string(input).map_err(throw)
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// An engine built once from the rules, so that a page re-pricing on every
/// click does not parse the catalogue again: `new Engine(rules)`, then
/// `engine.quote(cart)` as often as needed.
#[wasm_bindgen]
pub struct Engine {
    rules: Rules,
}

#[wasm_bindgen]
impl Engine {
    /// Read and validate the rules. Throws a `ManjianError` (paths start
    /// with `rules.`) on invalid rules.
    #[wasm_bindgen(constructor)]
    pub fn new(rules: RulesJs) -> Result<Engine, JsValue> {
        let v = from_js(rules.into()).map_err(throw)?;
        Ok(Engine {
            rules: Rules::from_value(&v).map_err(throw)?,
        })
    }

    /// Build from rules given as JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(rules: &str) -> Result<Engine, JsValue> {
        Ok(Engine {
            rules: rules.parse().map_err(throw)?,
        })
    }

    /// Quote a cart under these rules. Throws a `ManjianError` (paths start
    /// with `cart.`) on an invalid cart.
    pub fn quote(&self, cart: CartJs) -> Result<QuoteJs, JsValue> {
        let text = from_js(cart.into())
            .and_then(|v| self.rules.cart_from_value(&v))
            .and_then(|cart| crate::quote::quote_to_string(&self.rules, &cart))
            .map_err(throw)?;
        to_js(&text)
    }

    /// Quote a cart given as JSON text; returns the quote as JSON text.
    #[wasm_bindgen(js_name = quoteJson)]
    pub fn quote_json(&self, cart: &str) -> Result<String, JsValue> {
        self.rules
            .cart_from_str(cart)
            .and_then(|cart| crate::quote::quote_to_string(&self.rules, &cart))
            .map_err(throw)
    }

    /// The currency code of the rules.
    #[wasm_bindgen(getter)]
    pub fn currency(&self) -> String {
        self.rules.currency.code().to_owned()
    }
}

/// Benchmarks only (feature `bench`, never in the package): a workload's
/// quote priced once and kept, so that what every quote costs beyond
/// pricing, whatever the engine, is timed alone (`bench/README.md`).
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub struct Floor {
    bare: crate::output::document::Quote,
}

#[cfg(feature = "bench")]
#[wasm_bindgen]
impl Floor {
    /// Price a `{rules, cart}` document once.
    #[wasm_bindgen(constructor)]
    pub fn new(input: &str) -> Result<Floor, JsValue> {
        let quote = input::read_text(input)
            .and_then(|v| input::quote_input(&v))
            .and_then(|(rules, cart)| {
                crate::quote::quote_at(&rules, &cart, &Path::ROOT.key("cart"))
            })
            .map_err(throw)?;
        Ok(Floor {
            bare: crate::quote::bare(&quote),
        })
    }

    /// Write the quote's text and hash it (nothing crosses to JavaScript
    /// but the text's length).
    #[wasm_bindgen(js_name = writeAndHash)]
    pub fn write_and_hash(&self) -> usize {
        crate::quote::written(&self.bare).len()
    }

    /// Write, hash and hand the quote to JavaScript as `Engine.quote` does
    /// (the host's `JSON.parse` of the text).
    #[wasm_bindgen(js_name = toObject)]
    pub fn to_object(&self) -> Result<QuoteJs, JsValue> {
        to_js(&crate::quote::written(&self.bare))
    }
}
