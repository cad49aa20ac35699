//! Specs in several files (`tests/fixtures/multi/`): references into other files are followed
//! relative to the file that makes them, recursively, cycles included; every diagnostic names
//! the file it is in; nothing outside the reference root is read and nothing is fetched
//! (`tests/fixtures/multi-broken/`).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

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

#[test]
fn references_into_other_files_become_one_model() {
    let spec = root().join("multi/api.yaml");
    let resolved = openapi_gen::load_file(&spec).unwrap();
    let types: Vec<&str> = resolved.api.types.iter().map(|t| t.name.as_str()).collect();
    // The spec's own Pet keeps its name; common.yaml's Pet is brought in as Pet2; a file with
    // one schema is named after the file; a reference back into the spec is the spec's own
    // type (no copy).
    assert_eq!(
        types,
        ["Pet", "Owner", "Problem", "PetList", "Pet2", "Node"],
        "{}",
        openapi_gen::dump::render(&resolved.api)
    );
    let dump = openapi_gen::dump::render(&resolved.api);
    assert!(dump.contains("field pets (\"pets\"): [Pet]"), "{dump}");
    assert!(
        dump.contains("field children (\"children\"): [Node]"),
        "{dump}"
    );
    assert!(dump.contains("field tree (\"tree\"): Node"), "{dump}");
    // The path item from paths/pet.yaml, with its response from common.yaml.
    let get_pet = resolved
        .api
        .operations
        .iter()
        .find(|o| o.rust_name == "get_pet")
        .unwrap();
    assert_eq!(get_pet.path, "/pets/{id}");
    assert_eq!(get_pet.responses.len(), 2);
    // Every file read, as the build script's rerun-if-changed needs them.
    let mut files: Vec<String> = resolved
        .files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["common.yaml", "node.yaml", "pet-list.yaml", "pet.yaml"]
    );
}

#[test]
fn the_cli_reads_and_generates_multi_file_specs() {
    let spec = root().join("multi/api.yaml");
    let spec = spec.to_str().unwrap();
    let (code, text) = run(&["openapi-gen", "validate", spec]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.ends_with("api.yaml: ok: OpenAPI 3.0.3, 2 operations, 6 types, 0 warnings\n"),
        "{text}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kennel");
    let (code, text) = run(&[
        "openapi-gen",
        "generate",
        spec,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
    let module = std::fs::read_to_string(out.join("src/api.rs")).unwrap();
    assert!(module.contains("pub struct Pet2 {"), "{module}");
    assert!(
        module.contains("pub children: Option<Vec<Node>>"),
        "{module}"
    );
}

/// `validate --verbose` on a broken multi-file spec (every place of every diagnostic): the
/// first line of each expected diagnostic.
fn expect(spec: &str, extra: &[&str], lines: &[&str]) {
    let path = root().join("multi-broken").join(spec);
    let mut args = vec!["openapi-gen", "validate", "--verbose"];
    args.extend_from_slice(extra);
    let p = path.to_str().unwrap().to_string();
    args.push(&p);
    let (code, text) = run(&args);
    assert_eq!(code, 1, "{spec}: {text}");
    let base = root().join("multi-broken");
    let shown = text.replace(&format!("{}/", base.display()), "");
    for line in lines {
        assert!(
            shown.contains(line),
            "{spec}: expected\n{line}\nin\n{shown}"
        );
    }
}

#[test]
fn every_diagnostic_names_its_own_file() {
    // An error inside a referenced file: that file, its line:column, its pointer.
    expect(
        "bad-part.yaml",
        &[],
        &["parts/bad.yaml:8:11: error: `maxLength` must be a non-negative integer, found a number (-1)\n  at #/components/schemas/Item/properties/name/maxLength\n"],
    );
    expect(
        "dangling-fragment.yaml",
        &[],
        &["dangling-fragment.yaml:11:24: error: dangling reference: \"parts/bad.yaml#/components/schemas/Nope\" does not point at anything in "],
    );
    expect(
        "missing-file.yaml",
        &[],
        &[
            "missing-file.yaml:11:24: error: cannot read ",
            "(referenced as \"parts/nope.yaml\")",
        ],
    );
    // A chain of references that loops through two files never reaches a definition.
    expect(
        "cycle.yaml",
        &[],
        &[
            "cycle.yaml:11:24: error: cyclic reference: ",
            "parts/loop-a.yaml:2:3: error: cyclic reference: ",
            "  at #/A/$ref\n",
            "parts/loop-b.yaml:2:3: error: cyclic reference: ",
            "  at #/B/$ref\n",
        ],
    );
}

#[test]
fn nothing_outside_the_reference_root_is_read_and_nothing_is_fetched() {
    expect(
        "remote.yaml",
        &[],
        &["remote.yaml:11:24: error: remote reference \"https://example.com/schemas/item.yaml\" is not fetched"],
    );
    expect(
        "outside.yaml",
        &[],
        &[
            "outside.yaml:11:24: error: \"../multi/common.yaml#/components/schemas/Problem\" is outside ",
            "help: allow a wider folder with --ref-root",
        ],
    );
    // Allowed with --ref-root.
    let path = root().join("multi-broken/outside.yaml");
    let fixtures = root();
    let (code, text) = run(&[
        "openapi-gen",
        "--ref-root",
        fixtures.to_str().unwrap(),
        "validate",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn text_alone_cannot_follow_references_into_files() {
    let text = std::fs::read_to_string(root().join("multi/api.yaml")).unwrap();
    let report = openapi_gen::resolve_text(Path::new("api.yaml"), &text, "api").unwrap_err();
    assert!(
        report.diagnostics[0].message.contains("external reference"),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn a_build_script_follows_references_into_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let written = openapi_gen::configure()
        .emit_rerun_if_changed(false)
        .out_dir(dir.path())
        .module_name("kennel")
        .generate(root().join("multi/api.yaml"))
        .unwrap();
    assert_eq!(written, dir.path().join("kennel.rs"));
    let code = std::fs::read_to_string(written).unwrap();
    assert!(code.contains("pub struct Node {"));
}

#[test]
fn hostile_references_end_in_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("binary.yaml"), [0xff, 0xfe, 0x00, 0x81]).unwrap();
    std::fs::write(d.join("empty.yaml"), "").unwrap();
    std::fs::write(
        d.join("self.yaml"),
        "A: {$ref: '#/A'}\nB: {$ref: 'self.yaml#/B'}\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("folder")).unwrap();
    for target in [
        "folder",
        "binary.yaml",
        "empty.yaml",
        "empty.yaml#/nothing",
        "self.yaml#/A",
        "self.yaml#/B",
        "%ZZ.yaml",
        "file:///etc/passwd",
        "../../../../../../etc/passwd",
        "",
    ] {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{X: {{$ref: '{target}'}}}}}}\n"
        );
        std::fs::write(d.join("spec.yaml"), spec).unwrap();
        match openapi_gen::load_file(&d.join("spec.yaml")) {
            Ok(_) => panic!("{target}: should not resolve"),
            Err(openapi_gen::Error::Spec(report)) => {
                assert!(report.has_errors(), "{target}");
            }
            Err(e) => panic!("{target}: {e}"),
        }
    }
}
