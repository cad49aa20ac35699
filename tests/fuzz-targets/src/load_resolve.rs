//! Bytes → load (YAML or JSON, by content) → resolve: a model or diagnostics, never a panic.

use std::path::Path;

/// Loads and resolves `data` as a spec; every outcome but a panic is fine.
pub fn run(data: &[u8]) {
    // A file that is not UTF-8 is a content error, tested by the CLI's tests; here the
    // fuzzer's bytes are read as text.
    let text = String::from_utf8_lossy(data);
    let _ = openapi_gen::resolve_text(Path::new("fuzz.yaml"), &text, "fuzz");
}
