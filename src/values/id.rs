//! Ids of lines, promotions, stores, skus, categories, tags, addresses and
//! buyer tags: non-empty strings of at most 64 characters (characters, not
//! bytes), compared by bytes (the contract's "byte order").

use crate::wire::{write_str, ToJson};
use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

/// The longest id, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// A validated id. Cheap to clone (shared), compared by bytes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(Arc<str>);

impl Id {
    /// Check `s` as an id.
    pub fn new(s: &str) -> Option<Id> {
        let n = s.chars().take(MAX_ID_CHARS.saturating_add(1)).count();
        (1..=MAX_ID_CHARS).contains(&n).then(|| Id(Arc::from(s)))
    }

    /// An id the engine itself names (e.g. `presale`), known to be valid.
    pub(crate) fn trusted(s: &str) -> Id {
        Id(Arc::from(s))
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Positions of ids, for lookups by id: a sorted vector and binary search
/// (small code, no hashing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IdIndex(Vec<(Id, usize)>);

impl IdIndex {
    /// Index `ids` by position. On a repeated id, `Err` holds the position
    /// of its later occurrence.
    pub(crate) fn build<'a>(ids: impl Iterator<Item = &'a Id>) -> Result<IdIndex, usize> {
        let mut v: Vec<(Id, usize)> = ids.cloned().enumerate().map(|(i, id)| (id, i)).collect();
        super::sort(&mut v);
        for w in v.windows(2) {
            if let [(a, _), (b, later)] = w {
                if a == b {
                    return Err(*later);
                }
            }
        }
        Ok(IdIndex(v))
    }

    /// The position of `id`.
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        self.0
            .binary_search_by(|(x, _)| x.as_str().cmp(id))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, pos)| *pos)
    }
}

/// Whether the sorted `list` holds `id`.
pub(crate) fn sorted_contains(list: &[Id], id: &str) -> bool {
    list.binary_search_by(|x| x.as_str().cmp(id)).is_ok()
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl ToJson for Id {
    fn to_json(&self, out: &mut String) {
        write_str(out, self.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters() {
        assert!(Id::new("").is_none());
        assert!(Id::new(&"p".repeat(64)).is_some());
        assert!(Id::new(&"p".repeat(65)).is_none());
        // 64 Chinese characters are 192 bytes but a valid id.
        assert!(Id::new(&"满".repeat(64)).is_some());
        assert!(Id::new(&"满".repeat(65)).is_none());
    }
}
