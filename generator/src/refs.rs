//! `$ref` targets: where a reference points, whether it resolves, and chains of references.
//!
//! Only local references (`#/...`) are read. The fragment is a JSON pointer, possibly
//! percent-encoded (`#/paths/~1v2~1keys~1%7Bid%7D/get`).

use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// Why a reference cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefProblem {
    /// `other.yaml#/...` or `https://...`.
    External,
    /// Points at nothing in the document.
    Dangling,
    /// Points into `#/components/<other kind>/`.
    WrongKind(String),
    /// A chain of references that comes back to itself without ever reaching a definition.
    Cycle(Vec<String>),
}

impl RefProblem {
    /// The diagnostic for a `$ref` at `at` whose value is `target`, expected to be a `kind`
    /// (a `components` section name such as "schemas").
    pub fn into_diagnostic(self, at: &str, target: &str, kind: &str) -> Diagnostic {
        match self {
            RefProblem::External => Diagnostic::error(
                at,
                format!("unsupported construct: external reference \"{target}\"; only references within the document (#/...) are read"),
            )
            .with_help("bundle the spec into one file first"),
            RefProblem::Dangling => Diagnostic::error(
                at,
                format!("dangling reference: \"{target}\" does not point at anything in this document"),
            ),
            RefProblem::WrongKind(found) => Diagnostic::error(
                at,
                format!("reference \"{target}\" points at {found}, where {} is expected", describe_kind(kind)),
            ),
            RefProblem::Cycle(chain) => Diagnostic::error(
                at,
                format!("cyclic reference: {} never reaches a definition", chain.join(" -> ")),
            ),
        }
    }
}

fn describe_kind(kind: &str) -> String {
    match kind {
        "schemas" => "a schema".into(),
        "responses" => "a response".into(),
        "parameters" => "a parameter".into(),
        "requestBodies" => "a request body".into(),
        "headers" => "a header".into(),
        "securitySchemes" => "a security scheme".into(),
        "examples" => "an example".into(),
        "links" => "a link".into(),
        "callbacks" => "a callback".into(),
        other => format!("a `{other}` entry"),
    }
}

/// The segments of a local reference's pointer, or `None` for an external reference.
pub fn local_segments(target: &str) -> Option<Vec<String>> {
    let fragment = target.strip_prefix('#')?;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    Some(crate::pointer::segments(&decoded))
}

/// The normalized pointer (`#/a/b`, no percent-encoding) of a local reference.
pub fn normalize(target: &str) -> Option<String> {
    local_segments(target).map(crate::pointer::pointer)
}

/// Looks a pointer fragment up in the document.
pub fn lookup<'v>(root: &'v Value, target: &str) -> Option<&'v Value> {
    let mut here = root;
    for segment in local_segments(target)? {
        here = match here {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(here)
}

/// Looks a pointer fragment up in the document, for changing it.
pub fn lookup_mut<'v>(root: &'v mut Value, target: &str) -> Option<&'v mut Value> {
    let mut here = root;
    for segment in local_segments(target)? {
        here = match here {
            Value::Object(map) => map.get_mut(&segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(here)
}

/// Checks that `target` resolves to a definition of `kind`, following chains of references.
pub fn check(root: &Value, target: &str, kind: &str) -> Result<(), RefProblem> {
    let mut chain: Vec<String> = Vec::new();
    let mut current = target.to_string();
    loop {
        let segments = local_segments(&current).ok_or(RefProblem::External)?;
        if segments.len() >= 2 && segments[0] == "components" && segments[1] != kind {
            return Err(RefProblem::WrongKind(describe_kind(&segments[1])));
        }
        let value = lookup(root, &current).ok_or(RefProblem::Dangling)?;
        let normalized = crate::pointer::pointer(&segments);
        if chain.contains(&normalized) {
            chain.push(normalized);
            return Err(RefProblem::Cycle(chain));
        }
        chain.push(normalized);
        match value.get("$ref").and_then(Value::as_str) {
            Some(next) => current = next.to_string(),
            None => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {"/v2/keys/{id}": {"get": {"responses": {"404": {"description": "nope"}}}}},
            "components": {
                "schemas": {
                    "A": {"$ref": "#/components/schemas/B"},
                    "B": {"$ref": "#/components/schemas/A"},
                    "C": {"type": "string"},
                    "D": {"$ref": "#/components/schemas/C"}
                },
                "parameters": {"P": {"name": "p", "in": "query"}}
            }
        })
    }

    #[test]
    fn resolves_percent_encoded_pointers() {
        let d = doc();
        let r = "#/paths/~1v2~1keys~1%7Bid%7D/get/responses/404";
        assert_eq!(lookup(&d, r).unwrap()["description"], "nope");
        assert_eq!(check(&d, r, "responses"), Ok(()));
        assert_eq!(
            normalize(r).unwrap(),
            "#/paths/~1v2~1keys~1{id}/get/responses/404"
        );
    }

    #[test]
    fn follows_chains() {
        let d = doc();
        assert_eq!(check(&d, "#/components/schemas/D", "schemas"), Ok(()));
        assert!(
            matches!(check(&d, "#/components/schemas/A", "schemas"), Err(RefProblem::Cycle(c)) if c.len() == 3)
        );
    }

    #[test]
    fn problems() {
        let d = doc();
        assert_eq!(
            check(&d, "#/components/schemas/Nope", "schemas"),
            Err(RefProblem::Dangling)
        );
        assert_eq!(
            check(&d, "other.yaml#/x", "schemas"),
            Err(RefProblem::External)
        );
        assert_eq!(
            check(&d, "#/components/parameters/P", "schemas"),
            Err(RefProblem::WrongKind("a parameter".into()))
        );
    }
}
