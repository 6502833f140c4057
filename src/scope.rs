//! Scope matching: which cart lines a promotion covers (contract section 2).
//!
//! A line is in scope when every present list matches: its store is in
//! `stores`, its sku in `skus`, its category in `categories`, at least one
//! of its tags in `tags`; and its sku is not in `exclude_skus`. An empty
//! list matches nothing; an absent list matches everything.

use crate::cart::Line;
use crate::error::{Error, Path};
use crate::ids::Id;
use crate::json::{Obj, Value};

/// A promotion's scope. Lists are sorted and deduplicated at parse time so
/// that matching is a binary search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
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
}

fn contains(list: &[Id], id: &str) -> bool {
    list.binary_search_by(|x| x.as_str().cmp(id)).is_ok()
}

impl Scope {
    /// Whether `line` is in this scope.
    pub fn matches(&self, line: &Line) -> bool {
        if let Some(stores) = &self.stores {
            if !contains(stores, line.store.as_str()) {
                return false;
            }
        }
        if let Some(skus) = &self.skus {
            if !contains(skus, line.sku.as_str()) {
                return false;
            }
        }
        if let Some(categories) = &self.categories {
            match &line.category {
                Some(c) if contains(categories, c.as_str()) => {}
                _ => return false,
            }
        }
        if let Some(tags) = &self.tags {
            // Both lists are sorted: walk the shorter, search the longer.
            let (short, long) = if line.tags.len() <= tags.len() {
                (&line.tags, tags)
            } else {
                (tags, &line.tags)
            };
            if !short.iter().any(|t| contains(long, t.as_str())) {
                return false;
            }
        }
        if let Some(ex) = &self.exclude_skus {
            if contains(ex, line.sku.as_str()) {
                return false;
            }
        }
        true
    }

    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<Scope, Error> {
        let o = Obj::new(
            value,
            path,
            &["stores", "skus", "categories", "tags", "exclude_skus"],
        )?;
        let list = |key: &str| -> Result<Option<Vec<Id>>, Error> {
            o.get(key)
                .map(|v| {
                    let mut ids = Id::parse_list(v, &path.key(key))?;
                    ids.sort();
                    ids.dedup();
                    Ok(ids)
                })
                .transpose()
        };
        Ok(Scope {
            stores: list("stores")?,
            skus: list("skus")?,
            categories: list("categories")?,
            tags: list("tags")?,
            exclude_skus: list("exclude_skus")?,
        })
    }
}
