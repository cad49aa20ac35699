//! Emits the client and server of every fixture spec (`tests/fixtures/codegen/`, and the
//! faulty specs of `tests/fixtures/lenient/`) into OUT_DIR, for `src/lib.rs` to compile.

use std::path::Path;

fn main() {
    let dir = Path::new("../fixtures/codegen");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut specs: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    specs.sort();
    // Faults published specs ship, read as their authors meant (with warnings).
    let lenient = Path::new("../fixtures/lenient");
    println!("cargo:rerun-if-changed={}", lenient.display());
    let mut faulty: Vec<_> = std::fs::read_dir(lenient)
        .expect("lenient fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    faulty.sort();
    specs.extend(faulty);
    // The public callback examples, as published (`tests/corpus/`).
    specs.push(Path::new("../corpus/files/oai__callback-example.yaml").to_path_buf());
    specs.push(Path::new("../corpus/files/vonage__sms.yml").to_path_buf());
    // A spec in several files.
    println!("cargo:rerun-if-changed=../fixtures/multi");
    specs.push(Path::new("../fixtures/multi/api.yaml").to_path_buf());
    for spec in specs {
        println!("cargo:rerun-if-changed={}", spec.display());
        let resolved = match openapi_gen::load_file(&spec) {
            Ok(r) => r,
            Err(e) => panic!("{}: {e}", spec.display()),
        };
        // Each client's driver too, which `tests/roundtrip.rs` runs against the mock.
        let options = openapi_gen::emit::Options {
            server: true,
            driver: true,
            ..Default::default()
        };
        let source = openapi_gen::emit::module_source_with(&resolved.api, &options).expect("emits");
        std::fs::write(
            Path::new(&out).join(format!("{}.rs", resolved.api.module)),
            source,
        )
        .expect("writes");
    }
    // The user's own types for two schemas: one named here, one by `x-rust-type`.
    println!("cargo:rerun-if-changed=../fixtures/replace");
    openapi_gen::configure()
        .server(true)
        .replace_type("Money", "crate::money::Money")
        .out_dir(&out)
        .emit_rerun_if_changed(false)
        .generate("../fixtures/replace/shop.yaml")
        .expect("generates");
}
