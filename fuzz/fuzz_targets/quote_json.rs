//! Any bytes as a quote request: an answer or the error document, never a
//! panic; an answer's money and sums hold, and so do the version 3
//! invariants (fees, claims, gifts, tenders, settlement, refunds in kind).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(q) = manjian_fuzz::check_answer(manjian::Operation::Quote.str_to_string(&text)) {
        manjian_fuzz::check_quote(&q);
        manjian_fuzz::check_v3(&text, &q);
    }
});
