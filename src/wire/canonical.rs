//! The canonical JSON writer (contract section 5): keys in the contract's
//! order, no whitespace, non-ASCII characters as raw UTF-8, only `"`, `\`
//! and control characters escaped (the short forms `\b \f \n \r \t`, else
//! `\u00xx` in lower-case hex), money as strings.
//!
//! Written by hand rather than through `serde_json`: every quote is written
//! on every request (and hashed for its digest), the writer is a few dozen
//! lines, and the WebAssembly module then needs no JSON serializer. A test
//! holds it to `serde_json` byte for byte.
//!
//! Output documents declare their fields once, with [`document!`], which
//! writes both this writer's [`ToJson`] and serde's `Serialize` from the one
//! list, with its member names (`MEMBERS`) and, with the `testing`
//! feature, its shape for the generated types.

/// A value that writes itself as canonical JSON.
pub(crate) trait ToJson {
    /// Append the value's JSON text.
    fn to_json(&self, out: &mut String);

    /// Whether a member holding this value is left out of its object
    /// (`None` of an optional member).
    fn is_absent(&self) -> bool {
        false
    }

    /// Whether members of this type may be absent (for the shapes).
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    const OPTIONAL: bool = false;
}

/// Write `s` as a JSON string.
pub(crate) fn write_str(out: &mut String, s: &str) {
    // Most strings (ids, codes) need no escaping: one copy.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.reserve(s.len().saturating_add(2));
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0..=0x1f => Some(""),
            _ => None,
        };
        let Some(esc) = esc else { continue };
        out.push_str(s.get(start..i).unwrap_or(""));
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        } else {
            out.push_str(esc);
        }
        start = i.saturating_add(1);
    }
    out.push_str(s.get(start..).unwrap_or(""));
    out.push('"');
}

/// The lower-case hex digit of a nibble.
pub(crate) fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble & 0xf), 16).unwrap_or('0')
}

impl ToJson for str {
    fn to_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for String {
    fn to_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for bool {
    fn to_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for u32 {
    fn to_json(&self, out: &mut String) {
        // Quantities: at most five digits, without `core::fmt`.
        let mut digits = [0u8; 10];
        let mut n = *self;
        let mut len = 0;
        loop {
            if let Some(d) = digits.get_mut(len) {
                *d = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
            }
            len = len.saturating_add(1);
            n /= 10;
            if n == 0 || len >= digits.len() {
                break;
            }
        }
        for i in (0..len).rev() {
            out.push(char::from(digits.get(i).copied().unwrap_or(b'0')));
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.to_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, out: &mut String) {
        self.as_slice().to_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self, out: &mut String) {
        match self {
            Some(v) => v.to_json(out),
            None => out.push_str("null"),
        }
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }

    const OPTIONAL: bool = true;
}

/// Writes an object's members in the order given.
pub(crate) struct Object<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Object<'o> {
    /// Open an object.
    pub(crate) fn new(out: &'o mut String) -> Object<'o> {
        out.push('{');
        Object { out, first: true }
    }

    /// A member, left out when its value is absent.
    pub(crate) fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        if value.is_absent() {
            return self;
        }
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        // Keys are the contract's field names: plain ASCII, never escaped.
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        value.to_json(self.out);
        self
    }

    /// Close the object.
    pub(crate) fn end(&mut self) {
        self.out.push('}');
    }
}

/// Declare an output document once: the struct, its canonical writer
/// ([`ToJson`]), its serde `Serialize` (absent members skipped) and its
/// member names (`MEMBERS`) and its shape (feature `testing`), all from
/// one list of `"wire" => field: Type`.
/// A member of type `Option<T>` is left out when `None`.
macro_rules! document {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $( $(#[doc = $fdoc:literal])* $wire:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: $ty, )*
        }

        #[cfg(feature = "testing")]
        impl $name {
            /// The document's shape, for the generated types.
            pub(crate) fn shape() -> $crate::schema::Shape {
                use $crate::schema::Described;
                $crate::schema::Shape {
                    name: stringify!($name),
                    doc: $crate::schema::doc(&[$($doc),*]),
                    extends: None,
                    thrown: false,
                    exactly_one: Vec::new(),
                    members: vec![ $( $crate::schema::Member {
                        name: $wire,
                        ty: <$ty as Described>::ty(),
                        required: !<$ty as $crate::wire::canonical::ToJson>::OPTIONAL,
                        doc: $crate::schema::doc(&[$($fdoc),*]),
                    }, )* ],
                }
            }
        }

        #[cfg(feature = "testing")]
        impl $crate::schema::Described for $name {
            fn ty() -> $crate::schema::Ty {
                $crate::schema::Ty::Ref(stringify!($name))
            }
        }

        impl $name {
            /// The document's members in order, as written (and as read
            /// back by the after-sale operations).
            #[allow(dead_code)] // not every document is read back
            pub(crate) const MEMBERS: &'static [&'static str] = &[$($wire),*];
        }

        impl $crate::wire::canonical::ToJson for $name {
            fn to_json(&self, out: &mut String) {
                $crate::wire::canonical::Object::new(out)
                    $( .field($wire, &self.$field) )*
                    .end();
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                use $crate::wire::canonical::ToJson;
                let present = 0usize $( .saturating_add(usize::from(!self.$field.is_absent())) )*;
                let mut st = s.serialize_struct(stringify!($name), present)?;
                $(
                    if self.$field.is_absent() {
                        st.skip_field($wire)?;
                    } else {
                        st.serialize_field($wire, &self.$field)?;
                    }
                )*
                st.end()
            }
        }
    };
}
pub(crate) use document;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_like_serde_json() {
        for s in [
            "plain",
            "满100减10",
            "quote\" back\\ slash",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f} end",
            "",
            "emoji 🧧",
        ] {
            let mut out = String::new();
            write_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn quantities_write_like_display() {
        for n in [0u32, 7, 10, 99_999, u32::MAX] {
            let mut out = String::new();
            n.to_json(&mut out);
            assert_eq!(out, n.to_string());
        }
    }
}
