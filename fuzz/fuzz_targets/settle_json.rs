//! Any bytes as a settlement request: an answer or the error document,
//! never a panic; an answer's money holds.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    manjian_fuzz::check_answer(manjian::Operation::Settle.str_to_string(&text));
});
