//! The slow path: the `jsonschema` crate decides what the fast check is not sure of, and
//! its errors are worded as the refusal's problems (a field by its dotted path, a parameter
//! by its name in the spec and its location).

use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use serde_json::Value;

use crate::server::decode;
use crate::server::problem::Problem;
use crate::server::OperationDef;

/// The dotted path of a JSON pointer (`/options/deliverability` → `options.deliverability`).
fn dotted(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

fn message(e: &jsonschema::ValidationError<'_>) -> String {
    match e.kind() {
        ValidationErrorKind::Required { .. } => "is required".to_string(),
        _ => e.to_string(),
    }
}

fn required_property(e: &jsonschema::ValidationError<'_>) -> Option<String> {
    match e.kind() {
        ValidationErrorKind::Required { property } => Some(
            property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string),
        ),
        _ => None,
    }
}

pub(super) fn param_problem(op: &OperationDef, e: &jsonschema::ValidationError<'_>) -> Problem {
    let path = dotted(e.instance_path().as_str());
    let (first, rest) = match path.split_once('.') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (path.clone(), None),
    };
    let rust_name = if first.is_empty() {
        required_property(e).unwrap_or_default()
    } else {
        first
    };
    match op.params.iter().find(|p| p.rust_name == rust_name) {
        Some(p) => {
            let field = match rest {
                Some(rest) => format!("{}.{rest}", p.name),
                None => p.name.to_string(),
            };
            Problem::new(decode::location(p), field, message(e))
        }
        None => Problem::new("parameters", path, message(e)),
    }
}

/// At most `room` problems `validator` finds with a body.
pub(super) fn validation_problems(
    validator: &Validator,
    body: &Value,
    room: usize,
) -> Vec<Problem> {
    if validator.is_valid(body) {
        return Vec::new();
    }
    validator
        .iter_errors(body)
        .take(room)
        .flat_map(|e| body_problems(&e))
        .collect()
}

fn body_problems(e: &jsonschema::ValidationError<'_>) -> Vec<Problem> {
    let parent = dotted(e.instance_path().as_str());
    if let ValidationErrorKind::AdditionalProperties { unexpected } = e.kind() {
        // `additionalProperties: false`: name each field the schema does not allow.
        return unexpected
            .iter()
            .map(|u| {
                let message = "is not a property this object allows".to_string();
                Problem::new("body", join(&parent, u), message)
            })
            .collect();
    }
    let field = match required_property(e) {
        Some(prop) => join(&parent, &prop),
        None => parent,
    };
    vec![Problem::new("body", field, message(e))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_dotted_paths() {
        assert_eq!(dotted("/options/deliverability"), "options.deliverability");
        assert_eq!(dotted("/a~1b/0"), "a/b.0");
        assert_eq!(dotted(""), "");
    }
}
