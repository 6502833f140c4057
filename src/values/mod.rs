//! Typed values: money, currencies, rates and quantities; timestamps and
//! windows; ids; the wire names of the contract's enumerations; typed
//! indices. Each is checked once, when read (see `crate::input`), so that
//! the computation never meets an invalid one. None of them knows JSON.

mod id;
mod index;
mod money;
pub(crate) mod names;
mod sort;
mod time;

pub use id::Id;
pub use money::{Currency, Money, Points, Qty, Rate, MAX_AMOUNT, MAX_POINTS, MAX_QTY, MAX_QUOTED};
pub use names::{
    Basis, ClaimReason, Funder, Kind, Snapshot, Stage, TenderFunder, TenderKind, TenderReason,
    UnusedReason,
};
pub use time::{Instant, Window};

pub(crate) use id::{sorted_contains, IdIndex};
pub(crate) use index::{
    try_collect, typed_index, Broken, LineIx, PerLine, PromoIx, ShipIx, StoreIx,
};
pub(crate) use sort::{sort, sort_by, sort_by_key};

crate::schema::described! {
    Money => Money,
    Rate => Rate,
    Id => Id,
    Qty => Qty,
    Points => Integer,
}
