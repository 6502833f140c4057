//! Ids of lines, promotions, stores, skus, categories and tags: non-empty
//! strings of at most 64 characters (characters, not bytes).

use crate::error::{Error, ErrorCode, Path};
use crate::json::Value;
use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

/// The longest id, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// A validated id. Cheap to clone (shared), compared by bytes, which is
/// the contract's "byte order".
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(Arc<str>);

impl Id {
    /// Check `s` as an id.
    pub fn new(s: &str) -> Option<Id> {
        let n = s.chars().take(MAX_ID_CHARS + 1).count();
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

    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<Id, Error> {
        let bad = || {
            path.err(
                ErrorCode::InvalidId,
                "an id is a non-empty string of at most 64 characters",
            )
        };
        match value {
            Value::String(s) => Id::new(s).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    /// Parse an array of ids (`invalid_json` if not an array).
    pub(crate) fn parse_list(value: &Value, path: &Path<'_>) -> Result<Vec<Id>, Error> {
        let items = crate::json::array(value, path)?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| Id::parse(v, &path.index(i)))
            .collect()
    }
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
