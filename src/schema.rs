//! One source for every document's shape. Each document is declared once,
//! in Rust, where its code lives: an output document by `document!`
//! (`crate::wire`), an input document by [`shape!`] beside the reader that
//! checks its members, an enumeration by `wire_enum!`. From these
//! declarations come the member lists the readers and writers use and,
//! with the `testing` feature, the shapes ([`Shape`]) from which the
//! package's TypeScript types and the HTTP API's OpenAPI description are
//! generated (`testkit`'s generator, `scripts/generate.sh`; the list of
//! every document is `crate::testing`'s). This module is the ground floor:
//! it knows none of the engine's types, which describe themselves.

/// The type of a document member.
#[cfg(feature = "testing")]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ty {
    /// Money the engine writes: a decimal string at the currency's scale.
    Money,
    /// Money on input: a decimal string or a JSON number.
    MoneyInput,
    /// A rate on input: a decimal string or a JSON number.
    RateInput,
    /// A rate the engine writes: a decimal string.
    Rate,
    /// An RFC 3339 timestamp.
    Timestamp,
    /// A measure on input (kilograms): a decimal string or a JSON number.
    Measure,
    /// A region: `/`-separated segments, checked like an id.
    Region,
    /// An id: a non-empty string of at most 64 characters.
    Id,
    /// A quantity of units: an integer from 1 to 99,999.
    Qty,
    /// A count of units that may be none: an integer from 0 to 99,999.
    Count,
    /// Any other integer (a priority, a number of days).
    Integer,
    /// `true` or `false`.
    Bool,
    /// A currency code.
    Currency,
    /// Free text.
    Text,
    /// A quote's digest.
    Digest,
    /// One of an enumeration's names: the enumeration's name.
    Enum(&'static str),
    /// Exactly this string.
    Const(&'static str),
    /// A document declared elsewhere, by name.
    Ref(&'static str),
    /// An array of the type.
    Array(Box<Ty>),
    /// An object of ids to the type.
    Map(Box<Ty>),
    /// Any one of the types.
    OneOf(Vec<Ty>),
    /// The type within limits the reader enforces.
    Limited(Box<Ty>, Limits),
}

/// Limits on a value that its reader enforces (each is the reader's own
/// constant where it has one).
#[cfg(feature = "testing")]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// An array's fewest items.
    pub min_items: Option<usize>,
    /// An array's most items.
    pub max_items: Option<usize>,
    /// An array's items are all different.
    pub unique: bool,
    /// An integer's least value.
    pub minimum: Option<i64>,
    /// An integer's greatest value.
    pub maximum: Option<i64>,
}

/// A member of a document.
#[cfg(feature = "testing")]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Member {
    /// Its name on the wire.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether every document has it.
    pub required: bool,
    /// What it means (the declaration's doc comment).
    pub doc: String,
}

/// A document's shape: an object with named members.
#[cfg(feature = "testing")]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Shape {
    /// Its name in the types and the description.
    pub name: &'static str,
    /// What it is (the declaration's doc comment).
    pub doc: String,
    /// The shape whose members it has too, some narrowed by its own.
    pub extends: Option<&'static str>,
    /// Whether JavaScript meets it as an `Error` the engine throws (its
    /// TypeScript interface extends `Error`).
    pub thrown: bool,
    /// Groups of members of which the document has exactly one.
    pub exactly_one: Vec<&'static [&'static str]>,
    /// Its members, in the document's order.
    pub members: Vec<Member>,
}

/// An enumeration: its name, what it is and its names on the wire.
#[cfg(feature = "testing")]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Enumeration {
    /// Its name in the types and the description.
    pub name: &'static str,
    /// What it is.
    pub doc: String,
    /// Each wire name with what it means.
    pub values: Vec<(&'static str, String)>,
}

/// A doc comment's lines as one text (each `///` line keeps its leading
/// space, which goes), up to its first example: code is for the Rust docs.
#[cfg(feature = "testing")]
pub(crate) fn doc(lines: &[&str]) -> String {
    let words: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !l.starts_with("```"))
        .collect();
    words.join(" ").trim().to_string()
}

/// The schema type of a Rust type of an output document.
#[cfg(feature = "testing")]
pub(crate) trait Described {
    /// Its type.
    fn ty() -> Ty;
}

#[cfg(feature = "testing")]
impl<T: Described> Described for Vec<T> {
    fn ty() -> Ty {
        Ty::Array(Box::new(T::ty()))
    }
}

#[cfg(feature = "testing")]
impl<T: Described> Described for Option<T> {
    fn ty() -> Ty {
        T::ty()
    }
}

/// `Described` for types that are one schema type (each floor declares
/// its own).
macro_rules! described {
    ($($t:ty => $ty:ident),* $(,)?) => {
        $(
            #[cfg(feature = "testing")]
            impl $crate::schema::Described for $t {
                fn ty() -> $crate::schema::Ty {
                    $crate::schema::Ty::$ty
                }
            }
        )*
    };
}
pub(crate) use described;

described! {
    bool => Bool,
    // The only text member of an output document is its currency code.
    String => Currency,
}

/// Declare an input document's members once: the list its reader accepts
/// (`$fields`) and, with the `testing` feature, its [`Shape`] (`$shape`),
/// each member `"name" req|opt TYPE` with its doc comment. Members under
/// `narrows` narrow members of the shape it extends (a promotion kind's
/// `kind` and `stage`) and are not in the list.
macro_rules! shape {
    (
        $(#[doc = $doc:literal])*
        const $fields:ident, fn $shape:ident = $name:literal $(extends $base:literal)? {
            $( $(#[doc = $mdoc:literal])* $wire:literal $req:ident $ty:expr, )*
        }
        $( narrows { $( $(#[doc = $ndoc:literal])* $nwire:literal $nty:expr, )* } )?
        $( exactly_one { $( [$($one:literal),*] )* } )?
    ) => {
        $(#[doc = $doc])*
        // (`required!` checks each word is `req` or `opt`, in every build.)
        pub(crate) const $fields: &[&str] = &[$({
            let _ = $crate::schema::required!($req);
            $wire
        }),*];

        #[cfg(feature = "testing")]
        #[doc = concat!("The shape of `", $name, "`.")]
        pub(crate) fn $shape() -> $crate::schema::Shape {
            #[allow(unused_imports)]
            use $crate::schema::Ty::{self, *};
            #[allow(unused_imports)]
            use $crate::schema::{array, at_most, between, map, non_empty, one_of, unique};
            let mut members = vec![ $( $( $crate::schema::Member {
                name: $nwire,
                ty: $nty,
                required: true,
                doc: $crate::schema::doc(&[$($ndoc),*]),
            }, )* )? ];
            members.extend([ $( $crate::schema::Member {
                name: $wire,
                ty: $ty,
                required: $crate::schema::required!($req),
                doc: $crate::schema::doc(&[$($mdoc),*]),
            }, )* ]);
            $crate::schema::Shape {
                name: $name,
                doc: $crate::schema::doc(&[$($doc),*]),
                extends: None $( .or(Some($base)) )?,
                thrown: false,
                exactly_one: vec![ $( $( &[$($one),*] as &[&str], )* )? ],
                members,
            }
        }
    };
}
pub(crate) use shape;

/// `req` (every document has the member) or `opt`; any other word does
/// not compile.
macro_rules! required {
    (req) => {
        true
    };
    (opt) => {
        false
    };
}
pub(crate) use required;

/// An array of `ty`.
#[cfg(feature = "testing")]
pub(crate) fn array(ty: Ty) -> Ty {
    Ty::Array(Box::new(ty))
}

/// `ty` (an array) with at most `n` items.
#[cfg(feature = "testing")]
pub(crate) fn at_most(ty: Ty, n: usize) -> Ty {
    limited(ty, |l| l.max_items = Some(n))
}

/// `ty` (an array) with at least one item.
#[cfg(feature = "testing")]
pub(crate) fn non_empty(ty: Ty) -> Ty {
    limited(ty, |l| l.min_items = Some(1))
}

/// `ty` (an array) whose items are all different.
#[cfg(feature = "testing")]
pub(crate) fn unique(ty: Ty) -> Ty {
    limited(ty, |l| l.unique = true)
}

/// `ty` (an integer) from `lo` to `hi`.
#[cfg(feature = "testing")]
pub(crate) fn between(ty: Ty, lo: i64, hi: i64) -> Ty {
    limited(ty, |l| {
        l.minimum = Some(lo);
        l.maximum = Some(hi);
    })
}

/// `ty` with one more limit (limits on limits merge).
#[cfg(feature = "testing")]
fn limited(ty: Ty, set: impl FnOnce(&mut Limits)) -> Ty {
    let (inner, mut limits) = match ty {
        Ty::Limited(inner, limits) => (inner, limits),
        other => (Box::new(other), Limits::default()),
    };
    set(&mut limits);
    Ty::Limited(inner, limits)
}

/// An object of ids to `ty`.
#[cfg(feature = "testing")]
pub(crate) fn map(ty: Ty) -> Ty {
    Ty::Map(Box::new(ty))
}

/// Any one of `tys`.
#[cfg(feature = "testing")]
pub(crate) fn one_of<const N: usize>(tys: [Ty; N]) -> Ty {
    Ty::OneOf(tys.into())
}
