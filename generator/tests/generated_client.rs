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
    assert!(text.contains("3 written, 0 unchanged, 0 removed"), "{text}");
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("name = \"my-client\""), "{cargo}");
    assert!(
        cargo.contains(&format!(
            "openapi-gen-runtime = {{ version = \"{}\", default-features = false }}",
            env!("CARGO_PKG_VERSION")
        )),
        "{cargo}"
    );

    // Unchanged output is not rewritten (mtimes stay, downstream builds stay fresh).
    let module = out.join("src/sparkpost_subaccounts.rs");
    let before = std::fs::metadata(&module).unwrap().modified().unwrap();
    let (code, text) = run(&["openapi-gen", "generate", &spec, "--out", out_s]);
    assert_eq!(code, 0);
    assert!(text.contains("0 written, 3 unchanged"), "{text}");
    assert_eq!(
        std::fs::metadata(&module).unwrap().modified().unwrap(),
        before
    );

    // A hand edit is reported by check, with the line.
    let edited = std::fs::read_to_string(&module).unwrap().replacen(
        "pub struct Client",
        "pub struct Klient",
        1,
    );
    std::fs::write(&module, edited).unwrap();
    let (code, text) = run(&["openapi-gen", "check", &spec, "--out", out_s]);
    assert_eq!(code, 1);
    assert!(
        text.contains("changed: src/sparkpost_subaccounts.rs:"),
        "{text}"
    );
    assert!(text.contains("pub struct Klient"), "{text}");

    // A module no longer generated is stale, and generate removes it (only generated files).
    std::fs::write(
        out.join("src/old_api.rs"),
        format!("{}pub struct X;\n", openapi_gen::emit::HEADER),
    )
    .unwrap();
    std::fs::write(out.join("src/handwritten.rs"), "pub struct Mine;\n").unwrap();
    let (code, text) = run(&["openapi-gen", "check", &spec, "--out", out_s]);
    assert_eq!(code, 1);
    assert!(text.contains("stale: src/old_api.rs"), "{text}");
    let (code, text) = run(&["openapi-gen", "generate", &spec, "--out", out_s]);
    assert_eq!(code, 0);
    assert!(text.contains("1 written, 2 unchanged, 1 removed"), "{text}");
    assert!(!out.join("src/old_api.rs").exists());
    assert!(out.join("src/handwritten.rs").exists());
    let (code, _) = run(&["openapi-gen", "check", &spec, "--out", out_s]);
    assert_eq!(code, 0);
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
