//! Every spec in `tests/fixtures/broken/` gets its own diagnostic, at the right place, and a
//! failing exit code, through the CLI. (Faults with an obvious reading are in
//! `tests/fixtures/lenient/`, tested by `lenient.rs`.)

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/broken")
}

/// What `openapi-gen validate` must print for one broken spec.
struct Expect {
    file: &'static str,
    /// `file:line:col` prefix, or no position at all.
    line_col: Option<(usize, usize)>,
    /// The JSON pointer line, when the error has one.
    pointer: Option<&'static str>,
    /// A fragment of the message.
    message: &'static str,
}

const CASES: &[Expect] = &[
    Expect { file: "malformed.yaml", line_col: Some((9, 16)), pointer: None, message: "error: invalid YAML: did not find expected ',' or ']'" },
    Expect { file: "malformed.json", line_col: Some((6, 57)), pointer: None, message: "error: invalid JSON: trailing comma" },
    Expect { file: "duplicate-key.yaml", line_col: Some((6, 3)), pointer: None, message: "duplicate entry with key \"/items\"" },
    Expect { file: "empty.yaml", line_col: None, pointer: Some("#"), message: "must be an object, found null" },
    Expect { file: "not-an-object.yaml", line_col: Some((1, 1)), pointer: Some("#"), message: "must be an object, found an array" },
    Expect { file: "missing-info.yaml", line_col: Some((1, 1)), pointer: Some("#"), message: "missing its required field `info`" },
    Expect { file: "swagger12.json", line_col: Some((2, 3)), pointer: Some("#/swagger"), message: "this is a Swagger 1.2 document; openapi-gen reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2" },
    // Converted documents: the place and the names are the user's, not the 3.0 rewrite's.
    Expect { file: "swagger2-dangling-ref.json", line_col: Some((10, 24)), pointer: Some("#/paths/~1items/get/responses/200/schema/$ref"), message: "dangling reference: \"#/definitions/Missing\"" },
    Expect { file: "openapi31-dangling-ref.yaml", line_col: Some((11, 11)), pointer: Some("#/components/schemas/Item/properties/owner/$ref"), message: "dangling reference: \"#/components/schemas/Owner\"" },
    Expect { file: "dangling-ref.yaml", line_col: Some((13, 15)), pointer: Some("#/paths/~1items/post/requestBody/content/application~1json/schema/$ref"), message: "dangling reference: \"#/components/schemas/Missing\"" },
    Expect { file: "external-ref.yaml", line_col: Some((15, 17)), pointer: Some("#/paths/~1items/get/responses/200/content/application~1json/schema/$ref"), message: "cannot read " },
    Expect { file: "ref-cycle.yaml", line_col: Some((19, 7)), pointer: Some("#/components/schemas/A/$ref"), message: "cyclic reference: #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B" },
    Expect { file: "allof-cycle.yaml", line_col: Some((10, 11)), pointer: Some("#/components/schemas/Base/allOf/0"), message: "cyclic allOf: #/components/schemas/Derived -> #/components/schemas/Base -> #/components/schemas/Derived" },
    Expect { file: "wrong-ref-kind.yaml", line_col: Some((10, 11)), pointer: Some("#/paths/~1items/get/parameters/0/$ref"), message: "points at a schema, where a parameter is expected" },
    Expect { file: "wrong-types.yaml", line_col: Some((12, 11)), pointer: Some("#/paths/~1items/get/parameters/0/required"), message: "`required` must be a boolean, found a string (\"yes\")" },
    Expect { file: "wrong-types.yaml", line_col: Some((25, 11)), pointer: Some("#/components/schemas/Item/properties/name/maxLength"), message: "`maxLength` must be a non-negative integer, found a number (-1)" },
    Expect { file: "unknown-parameter-location.yaml", line_col: Some((11, 11)), pointer: Some("#/paths/~1items/post/parameters/0/in"), message: "unknown value \"body\"; expected one of: query, header, path, cookie" },
    Expect { file: "unknown-security-scheme.yaml", line_col: Some((6, 5)), pointer: Some("#/security/0/apiKey"), message: "security requirement names \"apiKey\", which is not in components/securitySchemes" },
    Expect { file: "bad-pagination-extension.yaml", line_col: Some((11, 9)), pointer: Some("#/paths/~1items/get/x-openapi-gen-pagination/parameter"), message: "the operation has no query parameter `nope`" },
    Expect { file: "bad-rust-type.yaml", line_col: Some((10, 7)), pointer: Some("#/components/schemas/Money/x-rust-type"), message: "`x-rust-type` must be a Rust type path such as \"my_crate::Money\", found \"my crate::Money\"" },
    Expect { file: "bad-status-code.yaml", line_col: Some((10, 9)), pointer: Some("#/paths/~1items/get/responses/ok"), message: "\"ok\" is not a response status" },
];

fn validate(file: &str) -> (i32, String) {
    let path = fixtures().join(file);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = openapi_gen::cli::run(
        [
            "openapi-gen".as_ref(),
            "validate".as_ref(),
            path.as_os_str(),
        ],
        &mut out,
        &mut err,
    );
    assert!(
        err.is_empty(),
        "{file}: unexpected stderr: {}",
        String::from_utf8_lossy(&err)
    );
    (code, String::from_utf8(out).unwrap())
}

#[test]
fn every_broken_spec_gets_its_diagnostic() {
    let mut failures = Vec::new();
    for case in CASES {
        let (code, out) = validate(case.file);
        let path = fixtures().join(case.file);
        let location = match case.line_col {
            Some((l, c)) => format!("{}:{l}:{c}: ", path.display()),
            None => format!("{}: ", path.display()),
        };
        let found = out.lines().enumerate().any(|(i, line)| {
            line.starts_with(&location)
                && line.contains(case.message)
                && line.contains("error:")
                && match case.pointer {
                    Some(p) => out.lines().nth(i + 1) == Some(&format!("  at {p}")),
                    None => true,
                }
        });
        if code != 1 || !found {
            failures.push(format!(
                "{}: exit {code}, expected `{location}...{}` at {:?}, got:\n{out}",
                case.file, case.message, case.pointer
            ));
        }
        assert!(
            out.lines().last().unwrap().contains(": failed: "),
            "{}: no summary line:\n{out}",
            case.file
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_is_covered() {
    let mut files: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for f in &files {
        assert!(
            CASES.iter().any(|c| c.file == f),
            "{f} has no expectation in CASES"
        );
    }
}

#[test]
fn errors_and_warnings_are_distinct() {
    // An empty `responses` is a warning: the spec still resolves, and validate exits 0.
    let dir = tempdir();
    let spec = dir.join("warn.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {}\n",
    )
    .unwrap();
    let mut out = Vec::new();
    let code = openapi_gen::cli::run(
        [
            "openapi-gen".as_ref(),
            "validate".as_ref(),
            spec.as_os_str(),
        ],
        &mut out,
        &mut Vec::new(),
    );
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(":7:7: warning: an operation should document at least one response"),
        "{out}"
    );
    assert!(
        out.contains("ok: OpenAPI 3.0.3, 1 operations, 0 types, 1 warning"),
        "{out}"
    );

    // --deny-warnings turns it into a failure.
    let code = openapi_gen::cli::run(
        [
            "openapi-gen".as_ref(),
            "validate".as_ref(),
            "--deny-warnings".as_ref(),
            spec.as_os_str(),
        ],
        &mut Vec::new(),
        &mut Vec::new(),
    );
    assert_eq!(code, 1);
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "openapi-gen-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
