//! The quote digest (contract section 5): `sha256:` and the lowercase hex
//! SHA-256 of the canonical JSON of the quote without `digest`.
//!
//! The canonical JSON is what `serde_json` writes for the output types:
//! keys in declaration order (which is the contract's order), no
//! whitespace, non-ASCII characters as UTF-8 (serde_json escapes only
//! quotes, backslashes and control characters), money as strings. A browser
//! and a server agree on a quote exactly when their digests agree.

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of `canonical` (UTF-8 bytes).
pub fn of(canonical: &str) -> String {
    let hash = Sha256::digest(canonical.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hash {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    #[test]
    fn known_vector() {
        assert_eq!(
            super::of("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
