//! Faults that published specs ship, through the `openapi-gen` binary: each spec in
//! `tests/fixtures/lenient/` is read as its author meant, with a located warning that says
//! what was assumed (exit 0, code generated), and `--strict` refuses it with an error at the
//! same place (exit 1, nothing written). `tests/codegen-fixtures` compiles each one's client
//! and server with warnings denied.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/lenient")
}

/// One warning `validate` must print: where, and a fragment of what it says.
struct Expect {
    file: &'static str,
    line_col: (usize, usize),
    pointer: &'static str,
    message: &'static str,
}

const CASES: &[Expect] = &[
    // A telephony API's `ListPhoneNumbers`, on two paths: neither keeps the id's name.
    Expect { file: "duplicate_operation_id.yaml", line_col: (11, 7), pointer: "#/paths/~1phone_numbers/get/operationId", message: "operationId \"ListPhoneNumbers\" is also used at #/paths/~1v2~1whatsapp~1phone_numbers/get; this operation is named `get_phone_numbers` after its method and path" },
    Expect { file: "duplicate_operation_id.yaml", line_col: (22, 7), pointer: "#/paths/~1v2~1whatsapp~1phone_numbers/get/operationId", message: "this operation is named `get_v2_whatsapp_phone_numbers` after its method and path" },
    // An email API's Swagger 2.0 spec, written partly in OpenAPI 3.1.
    Expect { file: "swagger2_mixed.yaml", line_col: (37, 9), pointer: "#/definitions/Message/properties/subject/examples", message: "`examples` in a schema is OpenAPI 3.1, not Swagger 2.0; read as `example` (its first value)" },
    Expect { file: "swagger2_mixed.yaml", line_col: (39, 9), pointer: "#/definitions/Message/properties/reply_to/anyOf", message: "`anyOf` is OpenAPI 3, not Swagger 2.0" },
    Expect { file: "swagger2_mixed.yaml", line_col: (41, 13), pointer: "#/definitions/Message/properties/reply_to/anyOf/1", message: "a `type: \"null\"` member of `anyOf` is OpenAPI 3.1, not Swagger 2.0; read as `nullable: true`" },
    Expect { file: "swagger2_mixed.yaml", line_col: (43, 9), pointer: "#/definitions/Message/properties/tags/type", message: "`type` as a list is OpenAPI 3.1, not Swagger 2.0" },
    Expect { file: "swagger2_mixed.yaml", line_col: (61, 9), pointer: "#/definitions/Receipt/properties/status/const", message: "`const` is OpenAPI 3.1, not Swagger 2.0; read as a one-value `enum`" },
    Expect { file: "openapi30_mixed.yaml", line_col: (31, 11), pointer: "#/components/schemas/Contact/properties/kind/const", message: "`const` is OpenAPI 3.1, not OpenAPI 3.0" },
    Expect { file: "openapi30_mixed.yaml", line_col: (33, 11), pointer: "#/components/schemas/Contact/properties/nickname/type", message: "`type` as a list is OpenAPI 3.1, not OpenAPI 3.0" },
    Expect { file: "openapi30_mixed.yaml", line_col: (37, 15), pointer: "#/components/schemas/Contact/properties/company/oneOf/1", message: "a `type: \"null\"` member of `oneOf` is OpenAPI 3.1, not OpenAPI 3.0" },
    Expect { file: "openapi30_mixed.yaml", line_col: (40, 11), pointer: "#/components/schemas/Contact/properties/email/examples", message: "`examples` in a schema is OpenAPI 3.1, not OpenAPI 3.0" },
    Expect { file: "openapi30_mixed.yaml", line_col: (42, 11), pointer: "#/components/schemas/Contact/properties/home/$ref", message: "OpenAPI 3.0 ignores the siblings of `$ref`; read as OpenAPI 3.1 reads them" },
    Expect { file: "openapi31_nullable.yaml", line_col: (26, 11), pointer: "#/components/schemas/Profile/properties/bio/nullable", message: "`nullable` is OpenAPI 3.0, not 3.1" },
    Expect { file: "path_params.yaml", line_col: (6, 3), pointer: "#/paths/~1accounts~1{account_id}~1users~1{user_id}", message: "path template parameter `{account_id}` is not declared as a path parameter of GET /accounts/{account_id}/users/{user_id}; it is read as a required string" },
    Expect { file: "path_params.yaml", line_col: (24, 11), pointer: "#/paths/~1accounts/get/parameters/0", message: "path parameter \"account_id\" does not appear in the path template \"/accounts\"; it is ignored" },
    Expect { file: "path_params.yaml", line_col: (43, 11), pointer: "#/paths/~1accounts~1{id}/delete/parameters/0/required", message: "a path parameter must be `required: true`; it is read as required" },
    Expect { file: "schema_faults.yaml", line_col: (15, 13), pointer: "#/paths/~1items/get/parameters/0/schema/default", message: "the `default` \"20\" is not a value of its schema; it is not used" },
    Expect { file: "schema_faults.yaml", line_col: (21, 13), pointer: "#/paths/~1items/get/parameters/1/schema/default", message: "the `default` \"ascending\" is not a value of its schema" },
    Expect { file: "schema_faults.yaml", line_col: (35, 28), pointer: "#/components/schemas/Item/required/2", message: "`required` names \"colour\", which is not among the object's properties; it is ignored" },
    Expect { file: "schema_faults.yaml", line_col: (39, 11), pointer: "#/components/schemas/Item/properties/id/example", message: "the `example` \"abc\" is not a value of its schema; it is not used" },
];

/// Runs the binary; returns (exit code, stdout, stderr).
fn openapi_gen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args(args)
        .output()
        .expect("runs openapi-gen");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// Which expected diagnostics `output` lacks, as `severity` (`warning` or `error`).
fn missing(file: &str, output: &str, severity: &str) -> Vec<String> {
    let path = fixtures().join(file);
    CASES
        .iter()
        .filter(|c| c.file == file)
        .filter_map(|c| {
            let (line, col) = c.line_col;
            let head = format!("{}:{line}:{col}: {severity}: ", path.display());
            let found = output.split(&head).skip(1).any(|rest| {
                let mut lines = rest.lines();
                lines.next().is_some_and(|l| l.contains(c.message))
                    && lines.next() == Some(&format!("  at {}", c.pointer))
            });
            (!found).then(|| format!("{file}: no `{head}{}` at {}", c.message, c.pointer))
        })
        .collect()
}

#[test]
fn each_fault_is_read_as_meant_with_a_located_warning() {
    let mut failures = Vec::new();
    for file in files() {
        let path = fixtures().join(&file);
        let (code, out, err) = openapi_gen(&["validate", "--verbose", path.to_str().unwrap()]);
        if code != 0 {
            failures.push(format!("{file}: exit {code}\n{out}{err}"));
            continue;
        }
        failures.extend(missing(&file, &out, "warning"));
        let expected = CASES.iter().filter(|c| c.file == file).count();
        assert!(expected > 0, "{file} has no expectation in CASES");
        let summary = if expected == 1 {
            "1 warning".to_string()
        } else {
            format!("{expected} warnings")
        };
        if !out.trim_end().ends_with(&summary) {
            failures.push(format!("{file}: expected {summary} and no others:\n{out}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn strict_refuses_each_fault_at_the_same_place_and_writes_nothing() {
    let mut failures = Vec::new();
    for file in files() {
        let path = fixtures().join(&file);
        let (code, out, _) = openapi_gen(&["validate", "--strict", "-v", path.to_str().unwrap()]);
        if code != 1 {
            failures.push(format!("{file}: --strict exited {code}, not 1\n{out}"));
        }
        failures.extend(missing(&file, &out, "error"));
        let dir =
            std::env::temp_dir().join(format!("openapi-gen-strict-{}-{file}", std::process::id()));
        let (code, _, err) = openapi_gen(&[
            "generate",
            "--strict",
            path.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ]);
        if code != 1 || dir.exists() {
            failures.push(format!(
                "{file}: generate --strict exited {code}, wrote {}\n{err}",
                dir.exists()
            ));
        }
        let (code, _, err) = openapi_gen(&[
            "generate",
            path.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ]);
        if code != 0 || !dir.join("src").exists() {
            failures.push(format!("{file}: generate exited {code}\n{err}"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_builder_is_strict_on_request() {
    let spec = fixtures().join("duplicate_operation_id.yaml");
    let dir =
        std::env::temp_dir().join(format!("openapi-gen-strict-builder-{}", std::process::id()));
    let lenient = openapi_gen::configure()
        .emit_rerun_if_changed(false)
        .out_dir(&dir)
        .generate(&spec)
        .expect("read as meant");
    let code = std::fs::read_to_string(lenient).unwrap();
    assert!(
        code.contains("pub fn get_phone_numbers(")
            && code.contains("pub fn get_v2_whatsapp_phone_numbers(")
    );
    let refused = openapi_gen::configure()
        .emit_rerun_if_changed(false)
        .out_dir(&dir)
        .strict(true)
        .generate(&spec)
        .expect_err("strict");
    let text = refused.to_string();
    assert!(
        text.contains(":11:7: error: operationId \"ListPhoneNumbers\" is also used"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
