//! JSON numbers that are not integers: read as the nearest double, and
//! written back in shortest form (JavaScript's `String(n)`), as the
//! contract judges a JSON number given as money or a rate (section 1).
//!
//! A double is only ever stored and printed here, never computed with.
//! Natively the standard library does both; in WebAssembly the host does
//! (its `Number` and `String` are exact, and the module then carries no
//! float parser or printer, which are large).

/// The double nearest to the JSON number `text`, if finite.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn parse_double(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// The shortest decimal that reads back as `f` (finite, not zero), without
/// an exponent.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn shortest(f: f64) -> String {
    format!("{f}")
}

#[cfg(target_arch = "wasm32")]
mod host {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(inline_js = "
export function parseDouble(t) { const x = Number(t); return Number.isFinite(x) ? x : undefined; }
export function shortestDouble(x) { return String(x); }
")]
    extern "C" {
        #[wasm_bindgen(js_name = parseDouble)]
        pub fn parse_double(text: &str) -> Option<f64>;
        #[wasm_bindgen(js_name = shortestDouble)]
        pub fn shortest_double(x: f64) -> String;
    }
}

/// The double nearest to the JSON number `text`, if finite.
#[cfg(target_arch = "wasm32")]
pub(crate) fn parse_double(text: &str) -> Option<f64> {
    host::parse_double(text)
}

/// The shortest decimal that reads back as `f`, as JavaScript writes it
/// (with an exponent below 1e-6 and from 1e21, where every value is out of
/// range or too precise for money and rates anyway, as it is without one).
#[cfg(target_arch = "wasm32")]
pub(crate) fn shortest(f: f64) -> String {
    host::shortest_double(f)
}
