//! Request validation, in one home. A request is valid when its parameters (as an object
//! keyed by their Rust names) and its body are valid against the operation's schemas, which
//! the generator writes (its `emit/schema.rs`). Two entry points: [`ParamsCheck`] for an
//! operation's parameters, [`BodyCheck`] for each of its bodies ([`JsonCheck`] for a JSON
//! one, which the handler may also read in one pass).
//!
//! Three ways to an answer, fastest first:
//! - `typed`: a JSON body read into its Rust type and checked against the plan in the same
//!   pass, when the handler reads the body itself;
//! - `fast`: the [`Plan`] (compiled by `compile`) reads the bytes, or the parameters'
//!   values, and answers "valid" only when it is sure;
//! - `slow`: the `jsonschema` crate decides everything else and words the refusal.
//!
//! The invariant: what the fast check or the one-pass reader accepts, the slow path accepts.
//! `tests.rs` compares them on chosen and on generated bodies; the `server_request` fuzz
//! target checks every call an implementation receives against the spec.

use std::sync::Arc;

use jsonschema::Validator;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body;
use super::problem::Problem;
use super::schemas::Schemas;
use super::{BodyDef, Error, MediaKind, OperationDef};

mod compile;
mod fast;
mod slow;
#[cfg(test)]
mod tests;
mod typed;

pub(crate) use fast::Plan;

/// At most this many problems are reported for one request.
pub(crate) const MAX_PROBLEMS: usize = 20;

/// How an operation's parameters are checked.
pub(crate) struct ParamsCheck {
    plan: Plan,
    validator: Result<Validator, String>,
}

impl ParamsCheck {
    /// The check of the parameters' `schema` (an object keyed by Rust names), whose `$ref`s
    /// point into `defs`, the API's schemas (`schemas`).
    pub(crate) fn new(schema: &Value, defs: &Value, schemas: &Schemas) -> ParamsCheck {
        ParamsCheck {
            plan: Plan::new(schema, defs),
            validator: schemas.validator(schema),
        }
    }

    /// What is wrong with `params` (values by Rust name) of `op`: nothing when the fast
    /// check is sure; else at most [`MAX_PROBLEMS`], each named by its parameter's name and
    /// location; or why they cannot be checked (a schema that does not compile).
    pub(crate) fn problems(
        &self,
        op: &OperationDef,
        params: &[(&'static str, Value)],
    ) -> Result<Vec<Problem>, String> {
        let validator = self.validator.as_ref().map_err(Clone::clone)?;
        if self.plan.accepts_pairs(params) {
            return Ok(Vec::new());
        }
        let object: Value = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<serde_json::Map<_, _>>()
            .into();
        Ok(validator
            .iter_errors(&object)
            .take(MAX_PROBLEMS)
            .map(|e| slow::param_problem(op, &e))
            .collect())
    }
}

/// How one of an operation's bodies (one media type) is checked.
pub(crate) struct BodyCheck {
    /// The body's schema, which also says how form and multipart fields read.
    schema: Value,
    validator: Result<Arc<Validator>, String>,
    /// The fast check and the one-pass read, for a JSON body.
    json: Option<Arc<JsonCheck>>,
}

impl BodyCheck {
    /// The check of `def`'s schema, whose `$ref`s point into `defs`, the API's schemas
    /// (`schemas`).
    pub(crate) fn new(def: &BodyDef, defs: &Value, schemas: &Schemas) -> BodyCheck {
        let schema = serde_json::from_str(def.schema).unwrap_or(Value::Null);
        let validator = schemas.validator(&schema).map(Arc::new);
        let json = match &validator {
            Ok(validator) if def.kind == MediaKind::Json => Some(Arc::new(JsonCheck {
                plan: Plan::new(&schema, defs),
                validator: Arc::clone(validator),
            })),
            _ => None,
        };
        BodyCheck {
            schema,
            validator,
            json,
        }
    }

    /// The body's schema.
    pub(crate) fn schema(&self) -> &Value {
        &self.schema
    }

    /// The checks of a JSON body.
    pub(crate) fn json(&self) -> Option<&Arc<JsonCheck>> {
        self.json.as_ref()
    }

    /// At most `room` problems with the body, decoded as `value`; or why it cannot be
    /// checked.
    pub(crate) fn problems(&self, value: &Value, room: usize) -> Result<Vec<Problem>, String> {
        match &self.validator {
            Ok(validator) => Ok(slow::validation_problems(validator, value, room)),
            Err(e) => Err(e.clone()),
        }
    }
}

/// How a JSON body is checked: the fast check, and the validator for what it is not sure of.
pub(crate) struct JsonCheck {
    plan: Plan,
    validator: Arc<Validator>,
}

impl std::fmt::Debug for JsonCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonCheck")
    }
}

impl JsonCheck {
    /// `bytes` as a `T` the schema accepts, in one pass when the fast check is sure;
    /// otherwise validated as the dispatcher validates bodies, refused the same way.
    pub(crate) fn read<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, Error> {
        if let Some(value) = typed::read(&self.plan, bytes) {
            return Ok(value);
        }
        // As the dispatcher reads it: straight into the type when the fast check is sure,
        // else validated as a `Value` first.
        let problem = |e: serde_json::Error| Problem::new("body", "", e.to_string()).into();
        if self.plan.accepts(bytes) {
            return serde_json::from_slice(bytes).map_err(problem);
        }
        serde_json::from_value(self.value(bytes)?).map_err(problem)
    }

    /// `bytes` validated, as a `Value`.
    pub(crate) fn value(&self, bytes: &[u8]) -> Result<Value, Error> {
        let value = body::json_value(bytes)?;
        let problems = slow::validation_problems(&self.validator, &value, MAX_PROBLEMS);
        if problems.is_empty() {
            Ok(value)
        } else {
            Err(Error::invalid(problems))
        }
    }

    /// Whether `bytes` are valid, as [`JsonCheck::value`] says.
    pub(crate) fn validate(&self, bytes: &[u8]) -> Result<(), Error> {
        if self.plan.accepts(bytes) {
            Ok(())
        } else {
            self.value(bytes).map(drop)
        }
    }
}

impl JsonCheck {
    /// Whether the fast check is sure that `bytes` are valid.
    pub(crate) fn accepts(&self, bytes: &[u8]) -> bool {
        self.plan.accepts(bytes)
    }
}
