//! Typed indices, as `regex-automata`'s `util/primitives.rs` has them: a
//! promotion, a line, a store and a shipping group are each numbered by
//! their own type, so that one can never be used for another.
//!
//! Per-line values live in a [`PerLine`], read and written by [`LineIx`]:
//! its lookups return `Option`, and a missing entry (which would be a bug
//! of the engine, never of the input) is reported as a [`Broken`]
//! invariant rather than priced around.

/// A broken invariant of the engine itself, never the input's fault: it
/// becomes an `internal_error`, never a wrong amount and never a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Broken(pub(crate) &'static str);

/// Declare a typed index (also used by the search for its own numbering).
macro_rules! typed_index {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) struct $name(u32);

        impl $name {
            /// The index of position `i` (every count here is below the
            /// contract's limits, far inside `u32`).
            pub(crate) fn new(i: usize) -> $name {
                $name(u32::try_from(i).unwrap_or(u32::MAX))
            }

            /// The position.
            #[allow(dead_code)] // Some indices are only compared.
            pub(crate) fn get(self) -> usize {
                usize::try_from(self.0).unwrap_or(usize::MAX)
            }
        }
    };
}
pub(crate) use typed_index;

typed_index!(
    /// A promotion: its position in the rules' `promotions`.
    PromoIx
);
typed_index!(
    /// A line: its position in the cart's `lines`.
    LineIx
);
typed_index!(
    /// A store of `rules.stores`: its position there.
    StoreIx
);
typed_index!(
    /// A shipping group: its position in the quote's `shipping`.
    ShipIx
);

/// One value per cart line, indexed by [`LineIx`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct PerLine<T>(Vec<T>);

impl<T> PerLine<T> {
    /// The values, in cart order.
    pub(crate) fn new(values: Vec<T>) -> PerLine<T> {
        PerLine(values)
    }

    /// Line `i`'s value.
    pub(crate) fn at(&self, i: LineIx) -> Result<&T, Broken> {
        self.0.get(i.get()).ok_or(Broken("a line outside the cart"))
    }

    /// Line `i`'s value, to change.
    pub(crate) fn at_mut(&mut self, i: LineIx) -> Result<&mut T, Broken> {
        self.0
            .get_mut(i.get())
            .ok_or(Broken("a line outside the cart"))
    }

    /// The values in cart order.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T> FromIterator<T> for PerLine<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> PerLine<T> {
        PerLine(iter.into_iter().collect())
    }
}

/// Collect fallible items into a vector allocated once (`collect` into a
/// `Result` loses the iterator's length, and grows the vector step by
/// step).
pub(crate) fn try_collect<T, E>(
    items: impl ExactSizeIterator<Item = Result<T, E>>,
) -> Result<Vec<T>, E> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(item?);
    }
    Ok(out)
}
