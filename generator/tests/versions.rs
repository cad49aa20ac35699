//! OpenAPI 3.1 and Swagger 2.0 through the command line: what `validate` says it read, the
//! warnings at their place in the user's document, and the model `inspect` shows
//! (`tests/fixtures/codegen/openapi31.yaml`, `swagger2.yaml`; their generated code is
//! compiled and run in `tests/codegen-fixtures`).

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/codegen")
        .join(name)
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
fn openapi_31_is_read_with_its_warnings_where_the_user_wrote_them() {
    let spec = fixture("openapi31.yaml");
    let spec = spec.to_str().unwrap();
    let (code, text) = run(&["openapi-gen", "validate", spec]);
    assert_eq!(code, 0, "{text}");
    for expected in [
        ":85:11: warning: `prefixItems` (a tuple) is read as an array of any values\n  at #/components/schemas/NewNote/properties/coords/prefixItems\n",
        ":90:11: warning: `if` is not expressed in the generated code (OpenAPI 3.1 keyword); it is ignored\n  at #/components/schemas/NewNote/properties/rule/if\n",
        ":91:11: warning: `then` is not expressed",
        "openapi31.yaml: ok: OpenAPI 3.1.0, 2 operations, 11 types, 3 warnings\n",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in\n{text}");
    }
    let (code, model) = run(&["openapi-gen", "inspect", spec]);
    assert_eq!(code, 0);
    for expected in [
        // `type: [string, "null"]`
        "field tag (\"tag\"): string nullable",
        // `exclusiveMaximum: 10` as a number
        "field priority (\"priority\"): i64 minimum=1 exclusiveMaximum=10",
        // `contentEncoding: base64`
        "field attachment (\"attachment\") required: string(Byte)",
        // `anyOf: [Archive, {type: "null"}]`
        "field archived (\"archived\"): Archive nullable",
        // A reference into `$defs`, named after its schema.
        "field color (\"color\"): PaletteColor",
        // `const` properties tag the union.
        "variant TextBody tags [\"text\"]: TextBody",
        "variant LinkBody tags [\"link\"]: LinkBody",
        // The webhook, received at `/noteCreated`, where the user wrote it.
        "webhook (the API sends it; received at) note_created (id -, types NoteCreated): POST /noteCreated\n  at #/webhooks/noteCreated/post\n",
        // `exclusiveMinimum: 0` on a parameter of a path item from `components/pathItems`.
        "param id (Path \"id\") required: i64 exclusiveMinimum=0",
    ] {
        assert!(
            model.contains(expected),
            "expected {expected:?} in\n{model}"
        );
    }
}

#[test]
fn swagger_2_is_read_into_the_same_model() {
    let spec = fixture("swagger2.yaml");
    let spec = spec.to_str().unwrap();
    let (code, text) = run(&["openapi-gen", "validate", spec]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.ends_with(
            "swagger2.yaml: ok: Swagger 2.0 → model, 5 operations, 5 types, 0 warnings\n"
        ),
        "{text}"
    );
    let (_, model) = run(&["openapi-gen", "inspect", spec]);
    for expected in [
        "server http://localhost/v1",
        "security scheme basic (basic, set by with_basic): basic",
        "security scheme robot (robot, set by with_robot): oauth2 clientCredentials",
        "param ids (Query \"ids\"): [i64] style Form explode true",
        "param words (Query \"words\"): [string] style SpaceDelimited explode false",
        "param levels (Query \"levels\"): [i64] style PipeDelimited explode false",
        "param x_colors (Header \"X-Colors\"): [string] style Simple explode false",
        "application/x-www-form-urlencoded Form as Form: RenamePetBody",
        "multipart/form-data Multipart as Multipart: UploadPhotoBody",
        "field file (\"file\") required: string(Binary)",
        "field tag (\"tag\"): string nullable",
        // Types keep their 2.0 pointers.
        "  at #/definitions/Pet\n",
    ] {
        assert!(
            model.contains(expected),
            "expected {expected:?} in\n{model}"
        );
    }
}

/// OpenAPI 3.2 is read into the same model; what is not generated yet is warned by name and
/// place, in the document the user wrote.
#[test]
fn openapi_32_is_read_with_what_is_not_generated_warned() {
    let (code, text) = run(&[
        "openapi-gen",
        "validate",
        fixture("openapi32.yaml").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("ok: OpenAPI 3.2.0, 7 operations, 12 types, 0 warnings"),
        "{text}"
    );

    let dir = std::env::temp_dir().join(format!("openapi-gen-32-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("later.yaml");
    std::fs::write(
        &spec,
        r#"openapi: 3.2.0
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - name: filter
          in: querystring
          content:
            application/json:
              schema: {type: object}
        - name: limit
          in: query
          schema: {type: integer}
      responses:
        '200':
          description: ok
          content:
            multipart/mixed:
              itemSchema: {type: object}
              itemEncoding: {contentType: application/json}
components:
  securitySchemes:
    device:
      type: oauth2
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://example.com/device
          tokenUrl: https://example.com/token
          scopes: {}
        clientCredentials:
          tokenUrl: https://example.com/token
          scopes: {}
  schemas:
    Pet:
      oneOf:
        - {$ref: '#/components/schemas/Cat'}
      discriminator:
        propertyName: kind
        defaultMapping: '#/components/schemas/Cat'
    Cat:
      type: object
      properties:
        kind: {type: string}
"#,
    )
    .unwrap();
    let (code, text) = run(&["openapi-gen", "validate", spec.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    for expected in [
        ":22:15: warning: `itemEncoding` (OpenAPI 3.2) is generated for request bodies only (a multipart response is read by name)\n  at #/paths/~1items/get/responses/200/content/multipart~1mixed/itemEncoding\n",
        ":28:9: warning: the OAuth2 device authorization flow (OpenAPI 3.2) is not generated: its tokens are set as bearer credentials\n  at #/components/securitySchemes/device/flows/deviceAuthorization\n",
        "ok: OpenAPI 3.2.0, 1 operations, 2 types, 2 warnings",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in\n{text}");
    }
    // A `querystring` in JSON is the whole query (over HTTP: `openapi32.yaml`).
    let (_, model) = run(&["openapi-gen", "inspect", spec.to_str().unwrap()]);
    assert!(
        model.contains("param filter (QueryString \"filter\"): {string: any} as JSON text")
            && model.contains("param limit (Query \"limit\")"),
        "{model}"
    );
    // `defaultMapping` is generated (over HTTP: `openapi32.yaml`).
    assert!(model.contains("missing or unlisted tag: Cat"), "{model}");
    let _ = std::fs::remove_dir_all(dir);
}

/// A 3.2 `query` operation that is not one is an error at its place, never dropped.
#[test]
fn a_broken_query_operation_is_an_error_where_it_is() {
    let dir = std::env::temp_dir().join(format!("openapi-gen-32q-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("query.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    query:\n      responses: 12\n",
    )
    .unwrap();
    let (code, text) = run(&["openapi-gen", "validate", spec.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains(":5:5: error: not an operation: "), "{text}");
    assert!(text.contains("  at #/paths/~1a/query\n"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}
