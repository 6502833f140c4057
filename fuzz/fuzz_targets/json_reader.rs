//! The engine's JSON reader against serde_json's, on any text: the same
//! value or both an error (the WebAssembly door relies on this reader).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = manjian::testing::parse_json(text).ok();
    let theirs = serde_json::from_str::<manjian::testing::Value>(text).ok();
    assert_eq!(ours, theirs, "{text:?}");
});
