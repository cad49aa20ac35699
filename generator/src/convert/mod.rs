//! Other versions of OpenAPI → the 3.0 form the rest of the front end reads.
//!
//! OpenAPI 3.1 and Swagger 2.0 documents are rewritten, as JSON, into an equivalent 3.0
//! document before the structural checks; everything after (structure, typed parse,
//! resolve, emit) is unchanged. What 3.0 cannot say is a warning at its place in the user's
//! document. Where a rewrite moves a value (`#/definitions/Pet` → `#/components/schemas/Pet`,
//! a `$ref` wrapped in `allOf`), a [`PointerMap`] records it, so that diagnostics found later
//! on the rewritten document point back into the document the user wrote.

mod swagger2;
mod v31;
pub(crate) mod v32;

pub use v31::WEBHOOKS_EXTENSION;
pub use v32::{own_uri, METHODS_EXTENSION};

use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// Which version a document was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// OpenAPI 3.0, with the version as written (`3.0.3`).
    OpenApi30(String),
    /// OpenAPI 3.1, with the version as written.
    OpenApi31(String),
    /// OpenAPI 3.2, with the version as written.
    OpenApi32(String),
    /// Swagger 2.0.
    Swagger2,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::OpenApi30(v) => write!(f, "OpenAPI {v}"),
            Source::OpenApi31(v) => write!(f, "OpenAPI {v}"),
            Source::OpenApi32(v) => write!(f, "OpenAPI {v}"),
            Source::Swagger2 => f.write_str("Swagger 2.0 → model"),
        }
    }
}

/// Where rewritten values came from: pairs of (pointer prefix in the rewritten document,
/// pointer prefix in the user's document).
#[derive(Debug, Clone, Default)]
pub struct PointerMap {
    moves: Vec<(String, String)>,
}

impl PointerMap {
    pub fn record(&mut self, rewritten: impl Into<String>, original: impl Into<String>) {
        let (rewritten, original) = (rewritten.into(), original.into());
        if rewritten != original {
            self.moves.push((rewritten, original));
        }
    }

    /// The pointer in the user's document for a pointer into the rewritten one: the longest
    /// recorded prefix (on segment boundaries) is replaced.
    pub fn original(&self, pointer: &str) -> String {
        match crate::pointer::longest_prefix(&self.moves, pointer, |m| m.0.as_str()) {
            Some(((_, to), rest)) => format!("{to}{rest}"),
            None => pointer.to_string(),
        }
    }

    /// `text` with every quoted pointer (`"#/..."`) in it mapped back, for messages that
    /// name another place of the document.
    pub fn original_in_text(&self, text: &str) -> String {
        if self.moves.is_empty() || !text.contains("\"#/") {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("\"#/") {
            out.push_str(&rest[..=start]);
            let after = &rest[start + 1..];
            let end = after.find('"').unwrap_or(after.len());
            out.push_str(&self.original(&after[..end]));
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }
}

/// The model's pointers (operations, parameters, types) into the user's document.
pub fn remap(api: &mut crate::ir::Api, map: &PointerMap) {
    if map.is_empty() {
        return;
    }
    for op in api.operations.iter_mut().chain(&mut api.webhooks) {
        op.pointer = map.original(&op.pointer);
        for p in &mut op.parameters {
            p.pointer = map.original(&p.pointer);
        }
    }
    for t in &mut api.types {
        t.pointer = map.original(&t.pointer);
    }
}

/// A document in the 3.0 form, and how it got there.
pub struct Converted {
    pub source: Source,
    pub map: PointerMap,
    /// What the conversion could not express, at pointers into the user's document.
    pub diagnostics: Vec<Diagnostic>,
}

/// Rewrites `doc` into OpenAPI 3.0 when it is OpenAPI 3.1 or Swagger 2.0. Other documents
/// (3.0, or not OpenAPI at all) are left for the structural checks to judge.
pub fn to_openapi_30(doc: &mut Value) -> Converted {
    let mut out = Converted {
        source: Source::OpenApi30(String::new()),
        map: PointerMap::default(),
        diagnostics: Vec::new(),
    };
    if doc.get("swagger").and_then(Value::as_str) == Some("2.0") {
        out.source = Source::Swagger2;
        swagger2::convert(doc, &mut out.map, &mut out.diagnostics);
        v31::foreign(doc, &mut out.map, &mut out.diagnostics, "Swagger 2.0");
        return out;
    }
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.2.") || v == "3.2" => {
            out.source = Source::OpenApi32(v.to_string());
            v32::before(doc, &mut out.map, &mut out.diagnostics);
            v31::convert(doc, &mut out.map, &mut out.diagnostics);
            v32::after(doc, &mut out.map);
        }
        Some(v) if v.starts_with("3.1.") || v == "3.1" => {
            out.source = Source::OpenApi31(v.to_string());
            v31::convert(doc, &mut out.map, &mut out.diagnostics);
        }
        Some(v) if v.starts_with("3.0.") || v == "3.0" => {
            out.source = Source::OpenApi30(v.to_string());
            v31::foreign(doc, &mut out.map, &mut out.diagnostics, "OpenAPI 3.0");
        }
        Some(v) => out.source = Source::OpenApi30(v.to_string()),
        None => {}
    }
    out
}

/// A document after `convert` (one version's converter), with its diagnostics and pointer
/// map, for the converters' tests.
#[cfg(test)]
fn converted(
    convert: fn(&mut Value, &mut PointerMap, &mut Vec<Diagnostic>),
    mut doc: Value,
) -> (Value, Vec<Diagnostic>, PointerMap) {
    let mut map = PointerMap::default();
    let mut diags = Vec::new();
    convert(&mut doc, &mut map, &mut diags);
    (doc, diags, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_back_by_longest_prefix_on_segment_boundaries() {
        let mut map = PointerMap::default();
        map.record("#/components/schemas", "#/definitions");
        map.record("#/components/schemas/Pet/allOf/0", "#/definitions/Pet");
        assert_eq!(
            map.original("#/components/schemas/Pet/allOf/0/$ref"),
            "#/definitions/Pet/$ref"
        );
        assert_eq!(
            map.original("#/components/schemas/Owner/properties/a"),
            "#/definitions/Owner/properties/a"
        );
        assert_eq!(
            map.original("#/components/schemasX"),
            "#/components/schemasX"
        );
        assert_eq!(map.original("#/paths"), "#/paths");
        assert_eq!(
            map.original_in_text("dangling reference: \"#/components/schemas/X\" (at \"#/paths\")"),
            "dangling reference: \"#/definitions/X\" (at \"#/paths\")"
        );
    }
}
