//! The fast check and the one-pass reader against the slow path: every body the plan
//! accepts, the `jsonschema` validator of the same schema accepts, on chosen bodies and on
//! generated ones.

use std::future::Future;
use std::sync::Arc;

use jsonschema::Validator;
use serde_json::{json, Map, Value};

use super::compile::plain_regex;
use super::fast::Plan;
use crate::server::{
    handle, ApiDef, BodyDef, Config, Dispatcher, Error, Handle, Input, Kind, MediaKind,
    OperationDef, ParamDef, Reply,
};

fn slow(schema: &Value, defs: &Value) -> Validator {
    let mut schema = schema.clone();
    schema["$defs"] = defs.clone();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .expect("compiles")
}

/// The plan accepts `body` exactly when `expected`, and never what the slow path refuses.
fn case(schema: &Value, defs: &Value, body: &str, expected: bool) {
    let plan = Plan::new(schema, defs);
    let fast = plan.accepts(body.as_bytes());
    assert_eq!(fast, expected, "{body} against {schema}");
    if fast {
        let value: Value = serde_json::from_str(body).expect("JSON");
        assert!(
            slow(schema, defs).is_valid(&value),
            "{body} against {schema}"
        );
    }
}

#[test]
fn objects_with_required_fields_and_constraints() {
    let defs = json!({
        "Species": {"enum": ["cat", "dog"]},
        "Pet": {
            "type": "object",
            "required": ["name", "species"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 3},
                "species": {"$ref": "#/$defs/Species"},
                "age": {"type": "integer", "minimum": 0, "maximum": 100},
                "weight": {"type": "number", "exclusiveMinimum": 0},
                "chip": {"type": "string", "pattern": "^[0-9]{3}$"},
                "born": {"type": "string", "format": "date"},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
                "nick": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "more": {"type": "object", "additionalProperties": {"type": "boolean"}}
            },
            "additionalProperties": false
        }
    });
    let pet = json!({"$ref": "#/$defs/Pet"});
    case(&pet, &defs, r#"{"name":"Rex","species":"dog"}"#, true);
    let full = r#"{"name":"Éva","species":"cat","age":3,"weight":1.5,"chip":"123",
        "born":"2021-04-01","tags":["a","b"],"nick":null,"more":{"x":true}}"#;
    case(&pet, &defs, full, true);
    for bad in [
        r#"{"name":"Rex"}"#,
        r#"{"name":"","species":"dog"}"#,
        r#"{"name":"Rexy","species":"dog"}"#,
        r#"{"name":"Rex","species":"cow"}"#,
        r#"{"name":"Rex","species":"dog","age":-1}"#,
        r#"{"name":"Rex","species":"dog","age":1.0}"#,
        r#"{"name":"Rex","species":"dog","age":"1"}"#,
        r#"{"name":"Rex","species":"dog","weight":0}"#,
        r#"{"name":"Rex","species":"dog","chip":"12a"}"#,
        r#"{"name":"Rex","species":"dog","born":"2021-4-1"}"#,
        r#"{"name":"Rex","species":"dog","born":"2021-02-30"}"#,
        r#"{"name":"Rex","species":"dog","tags":["a","b","c"]}"#,
        r#"{"name":"Rex","species":"dog","tags":null}"#,
        r#"{"name":"Rex","species":"dog","more":{"x":1}}"#,
        r#"{"name":"Rex","species":"dog","colour":"red"}"#,
        r#"{"name":"Rex","species":"dog","name":"Max"}"#,
        r#"{"name":"Rex","species":"dog"} x"#,
        r#"{"name":"Rex","species":"dog""#,
        r#"[]"#,
        r#"null"#,
    ] {
        case(&pet, &defs, bad, false);
    }
}

#[test]
fn what_the_plan_leaves_to_the_slow_path() {
    let defs = json!({});
    let union = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
    case(&union, &defs, r#""a""#, false);
    let unique = json!({"type": "array", "uniqueItems": true});
    case(&unique, &defs, "[1, 2]", false);
    let fraction = json!({"type": "number", "multipleOf": 0.5});
    case(&fraction, &defs, "1.5", false);
    let dangling = json!({"$ref": "#/$defs/Missing"});
    case(&dangling, &defs, "1", false);
    // Present only when used: an object without the unusual field passes.
    let object = json!({"type": "object", "properties": {"u": unique}});
    case(&object, &defs, "{}", true);
    case(&object, &defs, r#"{"u": [1]}"#, false);
}

/// A discriminated union as the generator writes it, and its variants.
fn payment_defs() -> Value {
    json!({
        "Card": {
            "type": "object",
            "required": ["method", "number"],
            "properties": {
                "method": {"$ref": "#/$defs/CardMethod"},
                "number": {"type": "string", "pattern": "^[0-9]{4}$"},
                "holder": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]}
            }
        },
        "CardMethod": {"enum": ["card"]},
        "Bank": {
            "type": "object",
            "required": ["method", "iban"],
            "properties": {
                "method": {"enum": ["bank", "transfer"]},
                "iban": {"type": "string", "minLength": 2}
            },
            "additionalProperties": false
        },
        "Wire": {
            "type": "object",
            "required": ["method", "swift"],
            "properties": {"method": {"enum": ["wire", "bank"]}, "swift": {"type": "string"}}
        },
        "Payment": {
            "anyOf": [{"$ref": "#/$defs/Card"}, {"$ref": "#/$defs/Bank"}, {"$ref": "#/$defs/Wire"}],
            "required": ["method"],
            "properties": {"method": {"enum": ["card", "bank", "transfer", "wire"]}}
        }
    })
}

#[test]
fn discriminated_unions_read_by_the_tag_they_start_with() {
    let defs = payment_defs();
    let payment = json!({"$ref": "#/$defs/Payment"});
    for (body, fast) in [
        (r#"{"method":"card","number":"1234"}"#, true),
        (r#"{"method":"card","number":"1234","holder":null}"#, true),
        (r#"{"method":"transfer","iban":"DE"}"#, true),
        (r#"{"method":"wire","swift":"X"}"#, true),
        // The slow path decides: the tag is not first, is repeated, is not a string...
        (r#"{"number":"1234","method":"card"}"#, false),
        (
            r#"{"method":"card","number":"1234","method":"card"}"#,
            false,
        ),
        (r#"{"method":1,"number":"1234"}"#, false),
        (r#"{}"#, false),
        // ...the variant the tag names refuses it (another may accept it: `bank` is also a
        // wire's tag)...
        (r#"{"method":"bank","swift":"X"}"#, false),
        (r#"{"method":"card","number":"12345"}"#, false),
        (r#"{"method":"bank","iban":"DE","extra":1}"#, false),
        // ...or no variant takes the tag.
        (r#"{"method":"cash"}"#, false),
        (r#"[]"#, false),
    ] {
        case(&payment, &defs, body, fast);
    }
    // Inside other values too.
    let order = json!({
        "type": "object",
        "properties": {"pay": {"type": "array", "items": {"$ref": "#/$defs/Payment"}}}
    });
    case(
        &order,
        &defs,
        r#"{"pay":[{"method":"card","number":"1234"},{"method":"wire","swift":"X"}]}"#,
        true,
    );
    case(
        &order,
        &defs,
        r#"{"pay":[{"method":"card","number":"1234"},{"method":"cash"}]}"#,
        false,
    );
}

#[test]
fn a_discriminated_union_is_read_in_one_pass_into_its_type() {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Card {
        method: String,
        number: String,
        holder: crate::Nullable<String>,
    }
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Bank {
        method: String,
        iban: String,
    }
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Wire {
        method: Option<String>,
        swift: String,
    }
    #[derive(Debug, PartialEq)]
    enum Payment {
        Card(Card),
        Bank(Bank),
        Wire(Wire),
        Other(Value),
    }
    crate::tagged_union!(Payment, "method" {
        Card => ["card"], Bank => ["bank", "transfer"], Wire => ["wire"]
    } [] Other);
    let defs = payment_defs();
    let plan = Plan::new(&json!({"$ref": "#/$defs/Payment"}), &defs);
    let read = |body: &str| super::typed::read::<Payment>(&plan, body.as_bytes());
    assert_eq!(
        read(r#"{"method":"card","number":"1234","holder":null}"#),
        Some(Payment::Card(Card {
            method: "card".into(),
            number: "1234".into(),
            holder: crate::Nullable::Null,
        }))
    );
    assert_eq!(
        read(r#"{"method":"wire","swift":"X"}"#),
        Some(Payment::Wire(Wire {
            method: Some("wire".into()),
            swift: "X".into(),
        }))
    );
    for body in [
        r#"{"number":"1234","method":"card"}"#,
        r#"{"method":"card","number":"12345"}"#,
        r#"{"method":"card","number":"1234","method":"card"}"#,
        r#"{"method":"cash"}"#,
    ] {
        assert_eq!(read(body), None, "{body}");
        // Which the type reads as it did before, held whole.
        let value: Payment = serde_json::from_str(body).unwrap_or(Payment::Other(json!(null)));
        assert!(!matches!(value, Payment::Bank(_)), "{body}");
    }
    let late: Payment = serde_json::from_str(r#"{"iban":"DE","method":"bank"}"#).expect("read");
    assert!(matches!(late, Payment::Bank(_)), "{late:?}");
}

#[test]
fn dates_as_json_schema_reads_them() {
    let date = json!({"type": "string", "format": "date"});
    let slow = slow(&date, &json!({}));
    let plan = Plan::new(&date, &json!({}));
    let mut accepted = 0;
    for year in ["2000", "2021", "1900", "0000", "9999", "+202", "20x1"] {
        for month in ["00", "01", "02", "04", "12", "13", "1-"] {
            for day in ["00", "01", "28", "29", "30", "31", "32", "1 "] {
                for text in [
                    format!("{year}-{month}-{day}"),
                    format!("{year}-{month}-{day}Z"),
                ] {
                    let body = Value::String(text);
                    let fast = plan.accepts_value(&body);
                    assert_eq!(fast, slow.is_valid(&body), "{body}");
                    accepted += usize::from(fast);
                }
            }
        }
    }
    assert!(accepted > 50, "{accepted}");
}

/// A small deterministic generator of JSON near `schema`: its property names, types,
/// bounds and enum values, mixed with values of other types.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    fn value(&mut self, schema: &Value, defs: &Value, depth: usize) -> Value {
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => &defs[r.trim_start_matches("#/$defs/")],
            None => schema,
        };
        if depth > 4 || self.next(12) == 0 {
            let scalars = [json!(null), json!(1.0), json!(-3), json!("x"), json!(true)];
            return scalars[self.next(5) as usize].clone();
        }
        if let Some(Value::Array(variants)) = schema.get("anyOf") {
            let pick = &variants[self.next(variants.len() as u64) as usize];
            return self.value(pick, defs, depth + 1);
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            return values[self.next(values.len() as u64) as usize].clone();
        }
        let near = |g: &mut Gen, bound: &str, base: i64| {
            let b = schema.get(bound).and_then(Value::as_i64).unwrap_or(base);
            b + g.next(5) as i64 - 2
        };
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => json!(near(self, "maximum", 10)),
            Some("number") => json!(near(self, "minimum", 0) as f64 + 0.5),
            Some("boolean") => json!(self.next(2) == 0),
            Some("null") => json!(null),
            Some("string") => {
                let texts = ["", "a", "abcd", "2021-04-01", "2021-02-29", "123", "é€😀x"];
                json!(texts[self.next(texts.len() as u64) as usize])
            }
            Some("array") => {
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                let n = self.next(4);
                (0..n)
                    .map(|_| self.value(&items, defs, depth + 1))
                    .collect()
            }
            _ => {
                let mut out = Map::new();
                if let Some(Value::Object(props)) = schema.get("properties") {
                    for (name, prop) in props {
                        if self.next(4) != 0 {
                            out.insert(name.clone(), self.value(prop, defs, depth + 1));
                        }
                    }
                }
                if self.next(5) == 0 {
                    out.insert("other".into(), json!(1));
                }
                Value::Object(out)
            }
        }
    }
}

#[test]
fn generated_bodies_the_plan_accepts_are_valid() {
    let defs = json!({
        "Kind": {"enum": ["a", "b", 3]},
        "Leaf": {
            "type": "object",
            "required": ["n"],
            "properties": {
                "n": {"type": "integer", "minimum": 0, "maximum": 9, "multipleOf": 3},
                "s": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-c]+$"},
                "d": {"type": "string", "format": "date"},
                "k": {"anyOf": [{"$ref": "#/$defs/Kind"}, {"type": "null"}]}
            },
            "additionalProperties": false,
            "maxProperties": 3
        },
        "Tree": {
            "type": "object",
            "properties": {
                "pay": {"$ref": "#/$defs/Payment"},
                "leaves": {"type": "array", "items": {"$ref": "#/$defs/Leaf"}, "minItems": 1},
                "x": {"type": "number", "exclusiveMaximum": 2},
                "map": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Tree"}},
                "b": {"type": "boolean"}
            }
        }
    });
    let mut defs = defs;
    for (name, def) in payment_defs().as_object().expect("defs") {
        defs[name] = def.clone();
    }
    let tree = json!({"$ref": "#/$defs/Tree"});
    let slow = slow(&tree, &defs);
    let plan = Plan::new(&tree, &defs);
    let (mut accepted, mut refused) = (0, 0);
    let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let value = gen.value(&tree, &defs, 0);
        let text = value.to_string();
        // Read into a type in one pass, the plan says the same.
        let typed = super::typed::read::<Value>(&plan, text.as_bytes());
        if plan.accepts(text.as_bytes()) {
            assert!(slow.is_valid(&value), "the plan accepts {text}");
            assert!(plan.accepts_value(&value), "{text} as a value");
            assert_eq!(typed.as_ref(), Some(&value), "{text} read in one pass");
            accepted += 1;
        } else {
            assert_eq!(typed, None, "{text} read in one pass");
            if !slow.is_valid(&value) {
                refused += 1;
            }
        }
    }
    // Both answers occur often: the comparison means something.
    assert!(accepted > 1_000 && refused > 1_000, "{accepted} {refused}");
}

#[test]
fn plain_patterns_match_as_json_schema_reads_them() {
    for (pattern, plain) in [
        ("^[0-9]{15}$", true),
        ("^[a-z0-9_-]+(\\.[a-z]+)?$", true),
        ("^(cat|dog)s?$", true),
        ("ab|c", true),
        ("^\\d+$", false),
        ("^.+$", false),
        ("^(?i)a$", false),
        ("^(?=a)a$", false),
        ("[[a]]", false),
        ("[a--b]", false),
    ] {
        assert_eq!(plain_regex(pattern).is_some(), plain, "{pattern}");
        let schema = json!({"type": "string", "pattern": pattern});
        let slow = slow(&schema, &json!({}));
        let plan = Plan::new(&schema, &json!({}));
        for text in [
            "",
            "1",
            "123456789012345",
            "1234567890123456",
            "a_b-c.de",
            "a.b.c",
            "cat",
            "dogs",
            "catz",
            "abc",
            "x|y",
            "٣",
            "A",
            "a\n",
            "é",
            "😀",
        ] {
            let text = Value::String(text.to_string());
            if plan.accepts_value(&text) {
                assert!(slow.is_valid(&text), "{pattern} {text}");
            }
            if plain {
                assert_eq!(
                    plan.accepts_value(&text),
                    slow.is_valid(&text),
                    "{pattern} {text}"
                );
            }
        }
    }
}

#[test]
fn parameters_as_name_value_pairs() {
    let defs = json!({"Species": {"enum": ["cat", "dog"]}});
    // No parameters: anything goes.
    assert!(Plan::new(&json!({}), &defs).accepts_pairs(&[]));
    let schema = json!({
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "tag": {"type": "string", "maxLength": 3},
            "species": {"$ref": "#/$defs/Species"}
        }
    });
    let plan = Plan::new(&schema, &defs);
    let slow = slow(&schema, &defs);
    let cases: [(&[(&'static str, Value)], bool); 7] = [
        (&[("id", json!(1))], true),
        (
            &[
                ("id", json!(1)),
                ("tag", json!("ab")),
                ("species", json!("dog")),
            ],
            true,
        ),
        (&[("tag", json!("ab"))], false),
        (&[("id", json!(0))], false),
        (&[("id", json!("1"))], false),
        (&[("id", json!(1)), ("tag", json!("abcd"))], false),
        (&[("id", json!(1)), ("species", json!("cow"))], false),
    ];
    for (pairs, expected) in cases {
        assert_eq!(plan.accepts_pairs(pairs), expected, "{pairs:?}");
        let object: Value = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<Map<_, _>>()
            .into();
        assert_eq!(slow.is_valid(&object), expected, "{pairs:?}");
    }
}

#[test]
fn recursive_types_and_counts() {
    let defs = json!({
        "Node": {
            "type": "object",
            "required": ["children"],
            "properties": {
                "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}
            },
            "minProperties": 1
        }
    });
    let node = json!({"$ref": "#/$defs/Node"});
    case(&node, &defs, r#"{"children":[{"children":[]}]}"#, true);
    case(&node, &defs, r#"{"children":[{}]}"#, false);
    case(&node, &defs, r#"{"children":[],"x":1}"#, false);
    let whole = json!({"type": "integer", "multipleOf": 3, "maximum": 9});
    case(&whole, &defs, "9", true);
    case(&whole, &defs, "10", false);
    case(&whole, &defs, "12", false);
    case(&whole, &defs, "9007199254740993", false);
    let any = json!({});
    case(&any, &defs, r#"{"a":[1,{"b":null}]}"#, true);
}

/// A pet, as a generated body type reads and writes it.
#[derive(Debug, crate::Serialize, crate::Deserialize)]
struct Pet {
    name: String,
    age: Option<u8>,
    tags: Vec<String>,
    born: Option<chrono::NaiveDate>,
}

/// Reads the body before anything else, as `serve!` does, and echoes it.
struct Echo;

impl Handle<()> for Echo {
    fn call(
        _: &(),
        mut input: Input,
    ) -> Result<impl Future<Output = crate::server::Result<Reply>> + Send, Error> {
        let pet: Pet = input.body()?;
        Ok(async move { Ok(Reply::json(200, &pet)) })
    }
}

#[tokio::test]
async fn a_body_checked_in_one_pass_is_refused_as_the_dispatcher_refuses_it() {
    use tower::ServiceExt;
    static API: ApiDef = ApiDef {
        title: "t",
        schemes: &[],
        defs: r#"{"Pet": {"type": "object", "required": ["name", "tags"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "age": {"type": "integer", "minimum": 0, "maximum": 1000},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
                "born": {"type": "string", "format": "date"}},
            "additionalProperties": false}}"#,
        fallback_error: r#"{"error": "$code", "details": [{"$each": {"field": "$field", "message": "$message"}}]}"#,
    };
    static OP: OperationDef = OperationDef {
        id: "put_pet",
        method: "PUT",
        path: "/pets/{id}",
        params: &[ParamDef::path("id", Kind::Integer)],
        params_schema: r#"{"type": "object", "required": ["id"],
            "properties": {"id": {"type": "integer", "minimum": 1}}}"#,
        bodies: &[BodyDef::new(
            "application/json",
            MediaKind::Json,
            r##"{"$ref": "#/$defs/Pet"}"##,
        )],
        body_required: true,
        ..OperationDef::DEFAULT
    };
    // Validated before the handler runs, and as the handler reads it.
    let before = Dispatcher::new(&API, Config::default())
        .operation(&OP, |mut input| {
            Box::pin(async move {
                let pet: Pet = input.body()?;
                Ok(Reply::json(200, &pet))
            })
        })
        .into_router();
    let one_pass = Dispatcher::new(&API, Config::default())
        .serve(&OP, handle::<(), Echo>(&Arc::new(())))
        .into_router();
    let send = |router: axum::Router, path: &str, body: &str| {
        let request = http::Request::put(path)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        async move {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status().as_u16();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            (status, String::from_utf8(bytes.to_vec()).unwrap())
        }
    };
    let cases = [
        (
            "/pets/1",
            r#"{"name":"Rex","tags":["a"],"age":3,"born":"2021-04-01"}"#,
            200,
        ),
        ("/pets/1", r#"{"tags":[],"name":"Réx"}"#, 200),
        ("/pets/1", r#"{"name":"","tags":["a","b","c"]}"#, 400),
        ("/pets/1", r#"{"name":"Rex","tags":[],"colour":"red"}"#, 400),
        (
            "/pets/1",
            r#"{"name":"Rex","tags":[],"born":"2021-02-30"}"#,
            400,
        ),
        // Valid to the spec, not to `u8` (as before).
        ("/pets/1", r#"{"name":"Rex","tags":[],"age":1.0}"#, 400),
        ("/pets/1", r#"{"name":"Rex","tags":[],"age":-1}"#, 400),
        // A repeated key: JSON Schema and `serde_json::Value` see the last one.
        ("/pets/1", r#"{"name":"Rex","tags":[],"name":"Max"}"#, 200),
        ("/pets/1", r#"{"name":"Rex""#, 400),
        ("/pets/1", r#"[]"#, 400),
        // Valid to the spec, too large for the type.
        ("/pets/1", r#"{"name":"Rex","tags":[],"age":300}"#, 400),
        // The parameter and the body are wrong: one reply lists both.
        ("/pets/0", r#"{"name":"","tags":[]}"#, 400),
    ];
    for (path, body, status) in cases {
        let expected = send(before.clone(), path, body).await;
        assert_eq!(expected.0, status, "{path} {body}: {}", expected.1);
        let got = send(one_pass.clone(), path, body).await;
        assert_eq!(got, expected, "{path} {body}");
    }
    let (_, both) = send(one_pass, "/pets/0", r#"{"name":"","tags":[]}"#).await;
    assert!(
        both.contains(r#""field":"id""#) && both.contains(r#""field":"name""#),
        "{both}"
    );
}
