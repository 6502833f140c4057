//! Scope: which cart lines a promotion covers (contract section 2).
//!
//! A line is in scope when every present list matches: its store is in
//! `stores`, its sku in `skus`, its category in `categories`, at least one
//! of its tags in `tags`; its sku is not in `exclude_skus`, and none of its
//! tags is in `exclude_tags`. An empty list matches nothing; an absent list
//! matches everything. (A line that an exclusive promotion took money off
//! is out of the threshold stages' scopes whatever its scope says: that is
//! the pipeline's business, `crate::pricing`.)

use super::fields::{id_set, Obj};
use super::json::Value;
use crate::error::{Error, Path};
use crate::schema::shape;
use crate::values::{sorted_contains, Id};

/// A promotion's scope. Lists are sorted and deduplicated when read, so
/// that matching is a binary search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    /// Stores whose lines are covered.
    pub stores: Option<Vec<Id>>,
    /// Skus covered.
    pub skus: Option<Vec<Id>>,
    /// Categories covered.
    pub categories: Option<Vec<Id>>,
    /// Tags of which a line needs at least one.
    pub tags: Option<Vec<Id>>,
    /// Skus never covered.
    pub exclude_skus: Option<Vec<Id>>,
    /// Tags of which a covered line has none.
    pub exclude_tags: Option<Vec<Id>>,
}

shape! {
    /// Which lines a promotion covers: a line is in scope when it matches every list present.
    /// An empty list matches nothing.
    const FIELDS, fn scope_shape = "Scope" {
        /// Store ids: the line's store must be one of them. A store-stage promotion names
        /// exactly one store.
        "stores" opt array(Id),
        /// Skus: the line's sku must be one of them.
        "skus" opt array(Id),
        /// Categories: the line's category must be one of them.
        "categories" opt array(Id),
        /// Tags: the line must have at least one of them.
        "tags" opt array(Id),
        /// Skus that are never in scope.
        "exclude_skus" opt array(Id),
        /// Tags that put a line out of scope: a line with any of them is not covered.
        "exclude_tags" opt array(Id),
    }
}

impl Scope {
    /// Read a scope object.
    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<Scope, Error> {
        let o = Obj::new(value, path, FIELDS)?;
        Ok(Scope {
            stores: o.read_opt("stores", id_set)?,
            skus: o.read_opt("skus", id_set)?,
            categories: o.read_opt("categories", id_set)?,
            tags: o.read_opt("tags", id_set)?,
            exclude_skus: o.read_opt("exclude_skus", id_set)?,
            exclude_tags: o.read_opt("exclude_tags", id_set)?,
        })
    }

    /// The one store of a store-stage promotion (`scope.stores` naming
    /// exactly one), if that is what the scope says.
    pub(crate) fn single_store(&self) -> Option<&Id> {
        match self.stores.as_deref() {
            Some([one]) => Some(one),
            _ => None,
        }
    }
}

/// Whether two sorted tag lists share a tag: walk the shorter, search the
/// longer.
pub(super) fn any_shared(a: &[Id], b: &[Id]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.iter().any(|t| sorted_contains(long, t.as_str()))
}
