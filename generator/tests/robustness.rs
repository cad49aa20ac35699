//! No input makes the generator panic. Each seed spec is damaged systematically, one place
//! at a time (values replaced by values of every other JSON type, prefixes of the text), and each damaged document must produce a model or diagnostics, never a panic.

use std::path::Path;

use serde_json::Value;

/// A spec of the repository: a seed (`specs/`) or another path from the root.
fn seed(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = if name.contains('/') {
        root.join(name)
    } else {
        root.join("specs").join(name)
    };
    std::fs::read_to_string(path).unwrap()
}

fn resolve(text: &str) -> bool {
    openapi_gen::resolve_text(Path::new("mutant.json"), text, "mutant").is_ok()
}

/// Every pointer in the document, in order.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// How many damaged documents to try per spec.
const MAX_MUTANTS: usize = 1500;

fn mutate_every_value(spec: &str) -> (usize, usize) {
    let doc: Value = serde_yaml::from_str(&seed(spec)).unwrap();
    let mut all = Vec::new();
    pointers(&doc, String::new(), &mut all);
    let replacements = [
        Value::Null,
        Value::Bool(true),
        Value::from(-1),
        Value::from("#/components/schemas/Nope"),
        Value::Array(vec![Value::Null]),
        serde_json::json!({"$ref": "#/paths"}),
    ];
    // A deterministic sample keeps the test to seconds on big specs: consecutive pointers
    // are siblings and children, so a stride still reaches every kind of object.
    let stride = (all.len() * replacements.len() / MAX_MUTANTS).max(1);
    let (mut ok, mut failed) = (0, 0);
    for (i, p) in all.iter().enumerate().skip(1) {
        for (j, r) in replacements.iter().enumerate() {
            if (i * replacements.len() + j) % stride != 0 {
                continue;
            }
            let mut mutant = doc.clone();
            *mutant.pointer_mut(p).unwrap() = r.clone();
            let text = serde_json::to_string(&mutant).unwrap();
            if resolve(&text) {
                ok += 1;
            } else {
                failed += 1;
            }
        }
    }
    (ok, failed)
}

#[test]
fn damaged_sparkpost_never_panics() {
    let (ok, failed) = mutate_every_value("sparkpost-subaccounts.yaml");
    // Both outcomes occur: some damage is harmless (a description), most is reported.
    assert!(ok > 0 && failed > 0, "ok {ok}, failed {failed}");
}

#[test]
fn damaged_cakemail_never_panics() {
    let (ok, failed) = mutate_every_value("cakemail-partner.yaml");
    assert!(ok > 0 && failed > 0, "ok {ok}, failed {failed}");
}

#[test]
fn damaged_openapi_31_and_swagger_2_never_panic() {
    // These go through the conversions into 3.0 first.
    for spec in [
        "tests/fixtures/codegen/openapi31.yaml",
        "tests/fixtures/codegen/swagger2.yaml",
    ] {
        let (ok, failed) = mutate_every_value(spec);
        assert!(ok > 0 && failed > 0, "{spec}: ok {ok}, failed {failed}");
    }
}

#[test]
fn truncated_texts_never_panic() {
    for spec in [
        "sparkpost-subaccounts.yaml",
        "cakemail-partner.yaml",
        "tests/fixtures/codegen/openapi31.yaml",
        "tests/fixtures/codegen/swagger2.yaml",
    ] {
        let text = seed(spec);
        let step = (text.len() / 400).max(1);
        for end in (0..text.len()).step_by(step) {
            if text.is_char_boundary(end) {
                resolve(&text[..end]);
            }
        }
    }
}

#[test]
fn hostile_inputs_never_panic() {
    for text in [
        "",
        "\u{feff}",
        "{",
        "[]",
        "null",
        "openapi: [3]",
        "openapi: 3.0.3\npaths: {'/a/{': {get: {responses: {'200': {description: x}}}}}",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {'/a/{x}/{x}': {parameters: [{name: x, in: path, required: true, schema: {}}], get: {responses: {'200': {description: x}}}}}",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {items: {$ref: '#/components/schemas/A'}}, B: {allOf: [{$ref: '#/components/schemas/B'}]}}}",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {type: integer, minimum: 1.5, enum: [1, 'a', null]}}}",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {oneOf: [], discriminator: {propertyName: k, mapping: {x: '#/nowhere'}}}}}",
        "a: &x [*x]",
        "a: !!binary aGVsbG8=",
        "? [a]\n: b",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {'/a': {get: {responses: {'200': {$ref: '#/paths/~1a/get/responses/200'}}}}}",
        // Converted versions, malformed in the places the conversions read.
        "swagger: '2.0'\npaths: []\nparameters: 5\ndefinitions: [1]",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {'/a': {parameters: [{$ref: '#/parameters/X'}], get: {parameters: [{in: formData, type: file}, {in: body}], responses: {'200': {schema: 3}}}}}",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\nsecurityDefinitions: {a: {type: oauth2}}\npaths: {'/a': {get: {consumes: [], produces: 7, responses: {}}}}",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents: {schemas: {A: {type: [[], null, 3]}, B: {const: {}}, C: {$ref: 7, description: x}, D: {anyOf: [{type: 'null'}]}, E: false, F: {oneOf: [{$ref: '#/components/schemas/F'}]}}}",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {'/a': {$ref: '#/components/pathItems/Nope'}}\ncomponents: {pathItems: 3}",
        "openapi: 3.1.0\nwebhooks: []\ninfo: 1",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {type: integer, maximum: 1e400, minimum: -99999999999999999999999}}}",
    ] {
        resolve(text);
    }
}
