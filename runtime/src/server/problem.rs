//! What is wrong with a request, and the error body that says so in the spec's own shape.
//!
//! The generator derives a *template* from the schema of an operation's documented error
//! response: a JSON value in that schema's shape where some strings are placeholders:
//!
//! - `"$summary"`: every problem in one sentence;
//! - `"$code"`: a stable code (`invalid_request`, `unauthorized`, `not_found`...);
//! - `"$status"`: the HTTP status, as a number;
//! - `"$message"`, `"$field"`, `"$location"`: one problem's, inside an array item written
//!   `{"$each": <item template>}`, which repeats once per problem. In an item that also has
//!   `"$field"`, `"$message"` is only what is wrong ("is required"), not where.
//!
//! Everything else is copied as it is.

use serde_json::{Map, Value};

/// One thing wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `path`, `query`, `header`, `cookie`, `body`, `parameters` or `request`; empty for an
    /// implementation's refusal, which is about the request as a whole.
    pub location: &'static str,
    /// The parameter name, or the body field as a dotted path; empty for the whole body.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(location: &'static str, field: impl Into<String>, message: String) -> Problem {
        Problem {
            location,
            field: field.into(),
            message,
        }
    }

    /// The problem as one sentence: "query parameter `per_page`: 500 is greater than...".
    pub fn describe(&self) -> String {
        if self.location.is_empty() {
            // A refusal of the implementation's: about the request as a whole.
            return self.message.clone();
        }
        let place = match (self.location, self.field.is_empty()) {
            ("body", true) => "body".to_string(),
            ("body", false) => format!("body field `{}`", self.field),
            ("request" | "parameters", _) => self.location.to_string(),
            (location, _) => format!("{location} parameter `{}`", self.field),
        };
        format!("{place}: {}", self.message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The error body for `problems`, from `template`.
pub(crate) fn render(template: &Value, status: u16, code: &str, problems: &[Problem]) -> Value {
    let summary = match problems {
        [] => code.replace('_', " "),
        [one] => one.describe(),
        many => many
            .iter()
            .map(Problem::describe)
            .collect::<Vec<_>>()
            .join("; "),
    };
    let ctx = Context {
        status,
        code,
        summary: &summary,
        problems,
    };
    fill(template, &ctx, problems.first())
}

struct Context<'a> {
    status: u16,
    code: &'a str,
    summary: &'a str,
    problems: &'a [Problem],
}

fn fill(template: &Value, ctx: &Context<'_>, problem: Option<&Problem>) -> Value {
    match template {
        Value::String(s) => match s.as_str() {
            "$summary" => Value::String(ctx.summary.to_string()),
            "$code" => Value::String(ctx.code.to_string()),
            "$status" => Value::from(ctx.status),
            "$message" => {
                Value::String(problem.map_or_else(|| ctx.summary.to_string(), |p| p.describe()))
            }
            // An item that names the field separately says only what is wrong with it.
            "$detail" => Value::String(
                problem.map_or_else(|| ctx.summary.to_string(), |p| p.message.clone()),
            ),
            "$field" => Value::String(problem.map(|p| p.field.clone()).unwrap_or_default()),
            "$location" => {
                Value::String(problem.map(|p| p.location.to_string()).unwrap_or_default())
            }
            _ => template.clone(),
        },
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                match item.as_object().and_then(|o| o.get("$each")) {
                    Some(each) => {
                        if ctx.problems.is_empty() {
                            out.push(fill(each, ctx, None));
                        }
                        for p in ctx.problems {
                            out.push(fill(each, ctx, Some(p)));
                        }
                    }
                    None => out.push(fill(item, ctx, problem)),
                }
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let names_field =
                problem.is_some() && map.values().any(|v| v.as_str() == Some("$field"));
            let mut out = Map::new();
            for (k, v) in map {
                let v = match v.as_str() {
                    Some("$message") if names_field => fill(&Value::from("$detail"), ctx, problem),
                    _ => fill(v, ctx, problem),
                };
                out.insert(k.clone(), v);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fills_the_spec_shape_once_per_problem() {
        let template = json!({
            "error": "$code",
            "message": "$summary",
            "details": [{"$each": {"field": "$field", "message": "$message"}}],
            "status": "$status",
            "fixed": 1
        });
        let problems = [
            Problem::new(
                "query",
                "per_page",
                "500 is greater than the maximum of 100".into(),
            ),
            Problem::new("body", "admin_email", "is required".into()),
        ];
        let body = render(&template, 400, "invalid_request", &problems);
        assert_eq!(
            body,
            json!({
                "error": "invalid_request",
                "message": "query parameter `per_page`: 500 is greater than the maximum of 100; body field `admin_email`: is required",
                "details": [
                    {"field": "per_page", "message": "500 is greater than the maximum of 100"},
                    {"field": "admin_email", "message": "is required"}
                ],
                "status": 400,
                "fixed": 1
            })
        );
    }

    #[test]
    fn an_each_without_problems_still_says_why() {
        let template = json!({"errors": [{"$each": {"message": "$message", "code": "$code"}}]});
        let body = render(&template, 401, "unauthorized", &[]);
        assert_eq!(
            body,
            json!({"errors": [{"message": "unauthorized", "code": "unauthorized"}]})
        );
    }
}
