//! The digest (contract section 5): `sha256:` and the lowercase hex
//! SHA-256 of the canonical JSON of the quote without `digest`.

use super::canonical::hex_digit;
use sha2::{Digest, Sha256};

/// `sha256:<hex>` of `canonical` (UTF-8 bytes).
pub(crate) fn of(canonical: &str) -> String {
    let hash = Sha256::digest(canonical.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hash {
        out.push(hex_digit(b >> 4));
        out.push(hex_digit(b & 0xf));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        assert_eq!(
            of("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
