//! `generated-client/` is exactly what `openapi-gen generate` writes for the bundled specs,
//! and `check` notices when it is not.

use std::path::Path;

fn run(args: &[&str]) -> (i32, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = openapi_gen::cli::run(args.iter().copied(), &mut out, &mut err);
    (
        code,
        format!(
            "{}{}",
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&err)
        ),
    )
}

fn root() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/..")
}

#[test]
fn checked_in_crate_is_up_to_date() {
    let specs = [
        format!("{}/specs/sparkpost-subaccounts.yaml", root()),
        format!("{}/specs/cakemail-partner.yaml", root()),
    ];
    let out = format!("{}/generated-client", root());
    let (code, text) = run(&[
        "openapi-gen",
        "check",
        &specs[0],
        &specs[1],
        "--out",
        &out,
        "--runtime-path",
        "../runtime",
    ]);
    assert_eq!(
        code, 0,
        "generated-client/ is stale; run the README's generate command:\n{text}"
    );
}

#[test]
fn generate_writes_only_what_changed_and_check_reports_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("my-client");
    let out_s = out.to_str().unwrap();
    let spec = format!("{}/specs/sparkpost-subaccounts.yaml", root());
    let (code, text) = run(&["openapi-gen", "generate", &spec, "--out", out_s]);
    assert_eq!(code, 0, "{text}");
    // Cargo.toml, lib.rs, the module, and the vendored runtime (its manifest and sources,
    // and its derive crate's manifest and sources).
    let sources = runtime_sources();
    let all = 5 + sources;
    assert!(
        text.contains(&format!("{all} written, 0 unchanged, 0 removed")),
        "{text}"
    );
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("name = \"my-client\""), "{cargo}");
    assert!(
        cargo.contains(
            "openapi-gen-runtime = { package = \"my-client-runtime\", path = \"openapi-gen-runtime\", default-features = false }"
        ),
        "{cargo}"
    );
    let vendored = std::fs::read_to_string(out.join("openapi-gen-runtime/Cargo.toml")).unwrap();
    assert!(
        vendored.contains("name = \"my-client-runtime\""),
        "{vendored}"
    );
    assert!(vendored.contains("openapi-gen-runtime 0.1.0"), "{vendored}");
    assert_eq!(
        std::fs::read_to_string(out.join("openapi-gen-runtime/src/server/dispatch/mod.rs"))
            .unwrap(),
        std::fs::read_to_string(format!("{}/runtime/src/server/dispatch/mod.rs", root())).unwrap()
    );
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("pub use openapi_gen_runtime as runtime;"),
        "{lib}"
    );

    // Unchanged output is not rewritten (mtimes stay, downstream builds stay fresh).
    let module = out.join("src/sparkpost_subaccounts.rs");
    let before = std::fs::metadata(&module).unwrap().modified().unwrap();
    let (code, text) = run(&["openapi-gen", "generate", &spec, "--out", out_s]);
    assert_eq!(code, 0);
    assert!(
        text.contains(&format!("0 written, {all} unchanged")),
        "{text}"
    );
    assert_eq!(
        std::fs::metadata(&module).unwrap().modified().unwrap(),
        before
    );

    // A hand edit is reported by check as a unified diff a reviewer can read.
    let edited = std::fs::read_to_string(&module).unwrap().replacen(
        "pub struct Client",
        "pub struct Klient",
        1,
    );
    std::fs::write(&module, edited).unwrap();
    let (code, text) = run(&["openapi-gen", "check", &spec, "--out", out_s]);
    assert_eq!(code, 1);
    assert!(
        text.contains("changed: src/sparkpost_subaccounts.rs\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "--- a/src/sparkpost_subaccounts.rs\n+++ b/src/sparkpost_subaccounts.rs\n@@ -"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n-    pub struct Klient {\n+    pub struct Client {\n"),
        "{text}"
    );
    let (code, text) = run(&["openapi-gen", "check", "--stat", &spec, "--out", out_s]);
    assert_eq!(code, 1);
    assert!(
        text.starts_with("changed: src/sparkpost_subaccounts.rs\n"),
        "{text}"
    );
    assert!(!text.contains("@@"), "{text}");

    // A module no longer generated is stale, and generate removes it (only generated files);
    // so is a file of the vendored runtime that the runtime no longer has.
    std::fs::write(
        out.join("src/old_api.rs"),
        format!("{}pub struct X;\n", openapi_gen::emit::HEADER),
    )
    .unwrap();
    std::fs::write(out.join("src/handwritten.rs"), "pub struct Mine;\n").unwrap();
    std::fs::write(out.join("openapi-gen-runtime/src/retired.rs"), "\n").unwrap();
    std::fs::remove_file(out.join("openapi-gen-runtime/src/union.rs")).unwrap();
    let (code, text) = run(&["openapi-gen", "check", &spec, "--out", out_s]);
    assert_eq!(code, 1);
    assert!(text.contains("stale: src/old_api.rs"), "{text}");
    assert!(
        text.contains("stale: openapi-gen-runtime/src/retired.rs"),
        "{text}"
    );
    assert!(
        text.contains("missing: openapi-gen-runtime/src/union.rs ("),
        "{text}"
    );
    let (code, text) = run(&["openapi-gen", "generate", &spec, "--out", out_s]);
    assert_eq!(code, 0);
    assert!(
        text.contains(&format!("2 written, {} unchanged, 2 removed", all - 2)),
        "{text}"
    );
    assert!(!out.join("src/old_api.rs").exists());
    assert!(!out.join("openapi-gen-runtime/src/retired.rs").exists());
    assert!(out.join("src/handwritten.rs").exists());
    let (code, _) = run(&["openapi-gen", "check", &spec, "--out", out_s]);
    assert_eq!(code, 0);

    // Choosing a shared runtime instead removes the vendored copy, and only it.
    std::fs::write(out.join("openapi-gen-runtime/NOTES.md"), "mine\n").unwrap();
    let (code, text) = run(&[
        "openapi-gen",
        "generate",
        &spec,
        "--out",
        out_s,
        "--runtime-version",
        "0.1",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(
        // The sources and the two manifests.
        text.contains(&format!("1 written, 2 unchanged, {} removed", sources + 2)),
        "{text}"
    );
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        cargo.contains("openapi-gen-runtime = { version = \"0.1\", default-features = false }"),
        "{cargo}"
    );
    assert!(!out.join("openapi-gen-runtime/src/lib.rs").exists());
    assert!(out.join("openapi-gen-runtime/NOTES.md").exists());
}

/// How many source files the runtime has (all vendored).
fn runtime_sources() -> usize {
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| if p.is_dir() { count(&p) } else { 1 })
            .sum()
    }
    let runtime = Path::new(root()).join("runtime");
    count(&runtime.join("src")) + count(&runtime.join("derive/src"))
}

#[test]
fn broken_specs_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let spec = format!("{}/tests/fixtures/broken/dangling-ref.yaml", root());
    let (code, text) = run(&[
        "openapi-gen",
        "generate",
        &spec,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        text.contains("dangling reference") && text.contains("nothing was written"),
        "{text}"
    );
    assert!(!out.exists());
    assert!(Path::new(&spec).exists());
}

#[test]
fn replace_type_uses_the_users_type_for_a_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop");
    let out_s = out.to_str().unwrap();
    let spec = format!("{}/tests/fixtures/replace/shop.yaml", root());
    let (code, text) = run(&[
        "openapi-gen",
        "generate",
        &spec,
        "--out",
        out_s,
        "--replace-type",
        "Money=my_crate::money::Money",
    ]);
    assert_eq!(code, 0, "{text}");
    let module = std::fs::read_to_string(out.join("src/shop.rs")).unwrap();
    assert!(
        module.contains("pub amount: my_crate::money::Money,"),
        "{module}"
    );
    // Currency says `x-rust-type` in the spec (and is used only inside Money).
    assert!(!module.contains("pub struct Money"), "{module}");
    assert!(!module.contains("pub enum Currency"), "{module}");
    // A schema the spec does not have, and a value that is not a type path.
    let (code, text) = run(&[
        "openapi-gen",
        "generate",
        &spec,
        "--out",
        out_s,
        "--replace-type",
        "Nope=a::B",
    ]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("has no schema \"Nope\" to replace"), "{text}");
    let (code, text) = run(&[
        "openapi-gen",
        "generate",
        &spec,
        "--out",
        out_s,
        "--replace-type",
        "Money=not a type!",
    ]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("is not a Rust type path"), "{text}");
    let (code, _) = run(&[
        "openapi-gen",
        "generate",
        &spec,
        "--out",
        out_s,
        "--replace-type",
        "Money",
    ]);
    assert_eq!(code, 2);
}
