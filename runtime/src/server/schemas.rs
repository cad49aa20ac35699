//! An API's schemas (`ApiDef::defs`, referred to as `#/$defs/Name`) as one `jsonschema`
//! registry, indexed once, which every validator of the API refers to: not copied into each
//! operation's schemas (GitHub's 767 operations would each compile a copy of every schema).

use jsonschema::Validator;
use serde_json::Value;

/// Where the API's schemas are, for validators: `#/$defs/Name` in an operation's schema is
/// `DEFS_URI#/$defs/Name`.
const DEFS_URI: &str = "urn:openapi-gen:defs";

/// The schemas of an API, ready to compile the schemas that refer to them.
#[derive(Debug, Clone)]
pub struct Schemas {
    registry: Result<jsonschema::Registry, String>,
}

/// A schema compiled against an API's schemas.
#[derive(Debug)]
pub struct Compiled(Validator);

impl Schemas {
    /// The schemas of `defs`: an object with a JSON Schema (2020-12) per name.
    pub fn new(defs: &Value) -> Schemas {
        let registry = jsonschema::Registry::try_new(
            DEFS_URI,
            jsonschema::Draft::Draft202012.create_resource(serde_json::json!({ "$defs": defs })),
        )
        .map_err(|e| format!("the schemas do not compile: {e}"));
        Schemas { registry }
    }

    /// The validator of `schema`, whose `$ref`s are `#/$defs/Name`.
    pub(crate) fn validator(&self, schema: &Value) -> Result<Validator, String> {
        let mut schema = schema.clone();
        to_registry(&mut schema);
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(self.registry.clone()?)
            .build(&schema)
            .map_err(|e| format!("the schema does not compile: {e}"))
    }

    /// `schema` compiled, to check values against it again and again.
    pub fn compile(&self, schema: &Value) -> Result<Compiled, String> {
        self.validator(schema).map(Compiled)
    }
}

impl Compiled {
    /// What is wrong with `value`: one line per problem (`/data/0/id: "x" is not of type
    /// "integer"`), at most `limit`; empty when it is valid.
    pub fn problems(&self, value: &Value, limit: usize) -> Vec<String> {
        self.0
            .iter_errors(value)
            .take(limit)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() { "/".to_string() } else { at };
                format!("{at}: {e}")
            })
            .collect()
    }
}

/// Points the `$ref`s of a schema into the registry of the API's schemas.
fn to_registry(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(target) if key == "$ref" && target.starts_with("#/$defs/") => {
                        target.insert_str(0, DEFS_URI);
                    }
                    other => to_registry(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_registry),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemas_refer_to_the_apis_definitions() {
        let schemas = Schemas::new(&json!({
            "Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
        }));
        let list = schemas
            .compile(&json!({"type": "array", "items": {"$ref": "#/$defs/Pet"}}))
            .unwrap();
        assert!(list.problems(&json!([{"name": "Rex"}]), 5).is_empty());
        assert_eq!(
            list.problems(&json!([{"name": 7}]), 5),
            ["/0/name: 7 is not of type \"string\""]
        );
    }
}
