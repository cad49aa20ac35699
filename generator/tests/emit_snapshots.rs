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

/// The `driver` module (`--driver`) alone: of SparkPost (pages, an API key), of the streams
/// fixture (SSE and JSON Lines) and of the bodies fixture (a body in several media types).
#[test]
fn driver_modules() {
    for (name, spec) in [
        ("sparkpost", "specs/sparkpost-subaccounts.yaml"),
        ("streams", "tests/fixtures/codegen/streams.yaml"),
        ("bodies", "tests/fixtures/codegen/bodies.yaml"),
    ] {
        let resolved = openapi_gen::load_file(&root().join(spec)).unwrap();
        let options = openapi_gen::emit::Options {
            driver: true,
            ..Default::default()
        };
        let source = openapi_gen::emit::module_source_with(&resolved.api, &options).unwrap();
        let start = source.find("pub mod driver {").expect("a driver module");
        let end = start + source[start..].find("\n}\n").expect("its end") + 3;
        insta::assert_snapshot!(format!("driver_{name}"), &source[start..end]);
        // Without `driver`, none.
        let plain = openapi_gen::emit::module_source(&resolved.api).unwrap();
        assert!(!plain.contains("pub mod driver"));
    }
}
