//! Which lines each promotion covers, found through an index of the cart's
//! lines by sku and by store.
//!
//! A scope that names skus or stores can only cover lines with one of
//! them, so the candidates are looked up in the index and only they are
//! matched against the whole scope: a catalogue of 2,000 sku markdowns
//! over a 1,000-line cart is 2,000 lookups, not two million scope matches
//! (which were a fifth of the `huge` workload in wasm).

use crate::input::cart::Line;
use crate::input::scope::Scope;
use crate::values::{sort, Id, LineIx};

/// The cart's lines by sku and by store.
#[derive(Debug)]
pub(crate) struct Coverage<'c> {
    lines: &'c [Line],
    /// `(sku, line)`, sorted.
    by_sku: Vec<(&'c str, LineIx)>,
    /// `(store, line)`, sorted.
    by_store: Vec<(&'c str, LineIx)>,
}

impl<'c> Coverage<'c> {
    /// Index `lines`.
    pub(crate) fn new(lines: &'c [Line]) -> Coverage<'c> {
        let keyed = |key: fn(&Line) -> &str| {
            let mut v: Vec<(&'c str, LineIx)> = lines
                .iter()
                .enumerate()
                .map(|(i, l)| (key(l), LineIx::new(i)))
                .collect();
            sort(&mut v);
            v
        };
        Coverage {
            lines,
            by_sku: keyed(|l| l.sku.as_str()),
            by_store: keyed(|l| l.store.as_str()),
        }
    }

    /// The lines `scope` covers, in cart order.
    pub(crate) fn covered(&self, scope: &Scope) -> Vec<LineIx> {
        let candidates = match (&scope.skus, &scope.stores) {
            (Some(skus), _) => with_keys(&self.by_sku, skus),
            (None, Some(stores)) => with_keys(&self.by_store, stores),
            (None, None) => (0..self.lines.len()).map(LineIx::new).collect(),
        };
        candidates
            .into_iter()
            .filter(|i| self.lines.get(i.get()).is_some_and(|l| l.is_in(scope)))
            .collect()
    }
}

/// The lines whose key is one of `keys`, in cart order (a line has one
/// key, so none is listed twice).
fn with_keys(index: &[(&str, LineIx)], keys: &[Id]) -> Vec<LineIx> {
    let mut out = Vec::new();
    for key in keys {
        let key = key.as_str();
        let start = index.partition_point(|(k, _)| *k < key);
        let same = index.get(start..).unwrap_or_default();
        out.extend(same.iter().take_while(|(k, _)| *k == key).map(|(_, i)| *i));
    }
    sort(&mut out);
    out
}
