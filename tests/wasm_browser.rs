//! The JavaScript API inside wasm, in headless Chromium (`wasm-bindgen-test-runner` with chromedriver).
#![cfg(target_arch = "wasm32")]

mod wasm;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn public_vectors_in_browser() {
    wasm::public_vectors();
}

#[wasm_bindgen_test]
fn parity_with_native_in_browser() {
    wasm::parity_with_native();
}

#[wasm_bindgen_test]
fn engine_reuse_in_browser() {
    wasm::engine_reuse();
}

#[wasm_bindgen_test]
fn js_numbers_in_browser() {
    wasm::js_numbers();
}
