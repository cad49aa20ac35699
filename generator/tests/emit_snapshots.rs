//! The emitted client and server of every codegen fixture and of both seed specs. Review a
//! change here as generated code users will read; `tests/codegen-fixtures` compiles all of
//! it.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn emitted(spec: &Path) -> String {
    let resolved =
        openapi_gen::load_file(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let options = openapi_gen::emit::Options {
        server: true,
        ..Default::default()
    };
    openapi_gen::emit::module_source_with(&resolved.api, &options).unwrap()
}

#[test]
fn fixture_clients() {
    let dir = root().join("tests/fixtures/codegen");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    specs.sort();
    assert!(specs.len() >= 11);
    for spec in specs {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("fixture_{name}"), emitted(&spec));
    }
}

/// The specs with the faults published specs ship, as read (`tests/fixtures/lenient/`).
#[test]
fn lenient_fixture_clients() {
    let dir = root().join("tests/fixtures/lenient");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    specs.sort();
    assert!(specs.len() >= 6);
    for spec in specs {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("lenient_{name}"), emitted(&spec));
    }
}

#[test]
fn seed_clients() {
    for (name, file) in [
        ("sparkpost", "sparkpost-subaccounts.yaml"),
        ("cakemail", "cakemail-partner.yaml"),
    ] {
        insta::assert_snapshot!(
            format!("seed_{name}"),
            emitted(&root().join("specs").join(file))
        );
    }
}

#[test]
fn emission_is_deterministic() {
    let spec = root().join("specs/cakemail-partner.yaml");
    let first = emitted(&spec);
    for _ in 0..3 {
        assert_eq!(first, emitted(&spec));
    }
}
