//! The `openapi-gen` binary as a user runs it: exit codes, help, output streams.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn validate_is_clean_on_both_seed_specs() {
    let out = bin()
        .current_dir(root())
        .args([
            "validate",
            "specs/sparkpost-subaccounts.yaml",
            "specs/cakemail-partner.yaml",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout,
        "specs/sparkpost-subaccounts.yaml: ok: OpenAPI 3.0.3, 5 operations, 17 types, 0 warnings\n\
         specs/cakemail-partner.yaml: ok: OpenAPI 3.0.3, 27 operations, 36 types, 0 warnings\n"
    );
}

#[test]
fn spec_errors_exit_1_and_io_errors_exit_2() {
    let out = bin()
        .current_dir(root())
        .args(["validate", "tests/fixtures/broken/dangling-ref.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("dangling reference"));

    let out = bin()
        .current_dir(root())
        .args([
            "validate",
            "specs/sparkpost-subaccounts.yaml",
            "no/such/spec.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot read no/such/spec.yaml"), "{stderr}");
}

#[test]
fn a_spec_that_is_not_utf8_is_a_content_error() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("latin1.yaml");
    std::fs::write(
        &spec,
        b"openapi: 3.0.3\ninfo: {title: caf\xe9, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let out = bin().args(["validate"]).arg(&spec).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "latin1.yaml:2:18: error: the file is not UTF-8 text: byte 0xe9 at offset 32"
        ),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = bin().args(["validate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"));
    let out = bin().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["validate", "--help"],
        vec!["inspect", "--help"],
        vec!["help", "validate"],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("Usage: openapi-gen"), "{args:?}: {stdout}");
    }
}

#[test]
fn inspect_prints_the_model() {
    let out = bin()
        .current_dir(root())
        .args(["inspect", "specs/sparkpost-subaccounts.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("operation get_subaccounts_summary (id getSubaccountsSummary"),
        "{stdout}"
    );
    assert!(
        stdout.contains("type GetSubaccountsSummaryResponseResults = struct"),
        "{stdout}"
    );
}
