//! No input makes the generator panic. Each seed spec is damaged systematically, one place
//! at a time (values replaced by values of every other JSON type, prefixes of the text), and each damaged document must produce a model or diagnostics, never a panic.

use std::path::Path;

use serde_json::Value;

fn seed(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../specs")
            .join(name),
    )
    .unwrap()
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
fn truncated_texts_never_panic() {
    for spec in ["sparkpost-subaccounts.yaml", "cakemail-partner.yaml"] {
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
    ] {
        resolve(text);
    }
}
