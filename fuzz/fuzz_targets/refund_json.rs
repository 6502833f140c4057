//! Any bytes as a refund request: an answer or the error document, never
//! a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    manjian_fuzz::check_answer(manjian::Operation::Refund.str_to_string(&text));
});
