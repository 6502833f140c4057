//! The JavaScript API inside wasm, in Node (`wasm-bindgen-test-runner`).
#![cfg(target_arch = "wasm32")]

mod wasm;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn public_vectors_in_node() {
    wasm::public_vectors();
}

#[wasm_bindgen_test]
fn parity_with_native_in_node() {
    wasm::parity_with_native();
}

#[wasm_bindgen_test]
fn engine_reuse_in_node() {
    wasm::engine_reuse();
}

#[wasm_bindgen_test]
fn js_numbers_in_node() {
    wasm::js_numbers();
}
