//! The `encoding` of form and multipart bodies: per property, how it is written.

use openapiv3 as oa;
use serde_json::Value;

use super::Resolver;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::pointer::join;
use crate::refs;

impl Resolver<'_> {
    /// The encoding entries of a request body's media type `m` (at `at`). Only form and
    /// multipart bodies have them (OpenAPI 3.0 §4.7.14); entries of properties the body does
    /// not have are dropped by [`drop_unknown`] once its type is known.
    pub(super) fn encoding(
        &mut self,
        m: &oa::MediaType,
        kind: MediaKind,
        at: &str,
    ) -> Vec<PropertyEncoding> {
        if m.encoding.is_empty() {
            return Vec::new();
        }
        if !matches!(kind, MediaKind::Form | MediaKind::Multipart) {
            self.diags.push(Diagnostic::warning(
                join(at, "encoding"),
                "`encoding` applies to form and multipart bodies only; it is ignored here",
            ));
            return Vec::new();
        }
        let mut out = Vec::new();
        for (property, e) in &m.encoding {
            let here = join(&join(at, "encoding"), property);
            // Style applies to form bodies only; multipart parts are each one value.
            let style = match (kind, &e.style) {
                (MediaKind::Form, Some(oa::QueryStyle::SpaceDelimited)) => {
                    ParamStyle::SpaceDelimited
                }
                (MediaKind::Form, Some(oa::QueryStyle::PipeDelimited)) => ParamStyle::PipeDelimited,
                (MediaKind::Form, Some(oa::QueryStyle::DeepObject)) => ParamStyle::DeepObject,
                _ => ParamStyle::Form,
            };
            // `explode` defaults to true for `form` only; openapiv3 reads an absent one as
            // false, so the document says whether it was given.
            let given = refs::lookup(self.raw, &join(&here, "explode")).and_then(Value::as_bool);
            let explode =
                given.unwrap_or(style == ParamStyle::Form || style == ParamStyle::DeepObject);
            let headers = if kind == MediaKind::Multipart {
                self.part_headers(&e.headers, &join(&here, "headers"))
            } else {
                Vec::new()
            };
            out.push(PropertyEncoding {
                property: property.clone(),
                style,
                explode,
                allow_reserved: e.allow_reserved && kind == MediaKind::Form,
                content_type: e
                    .content_type
                    .clone()
                    .filter(|_| kind == MediaKind::Multipart),
                headers,
                pointer: here,
            });
        }
        out
    }

    fn part_headers(
        &mut self,
        headers: &indexmap::IndexMap<String, oa::ReferenceOr<oa::Header>>,
        at: &str,
    ) -> Vec<PartHeader> {
        let mut out = Vec::new();
        for (name, h) in headers {
            // The part's Content-Type is the encoding's `contentType`.
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let Some((pointer, header)) = self.item(h, &join(at, name)) else {
                continue;
            };
            let schema = self.raw_schema(&join(&pointer, "schema"));
            let fixed = schema.and_then(|s| {
                let one = s
                    .get("enum")
                    .and_then(Value::as_array)
                    .filter(|v| v.len() == 1)
                    .and_then(|v| v.first());
                s.get("default").or(one).cloned()
            });
            out.push(PartHeader {
                name: name.clone(),
                required: header.required,
                value: fixed.and_then(|v| match v {
                    Value::String(s) => Some(s),
                    Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
                    _ => None,
                }),
            });
        }
        out
    }

    /// The schema at `pointer`, through its `$ref`s.
    fn raw_schema(&self, pointer: &str) -> Option<&Value> {
        let mut value = refs::lookup(self.raw, pointer)?;
        for _ in 0..16 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(target) => value = refs::lookup(self.raw, target)?,
                None => return Some(value),
            }
        }
        None
    }
}

/// Multipart request bodies other than `multipart/form-data` whose type is an array are
/// written by position ([`MediaKind::Parts`]), their `encoding` entries named by position
/// (`0`, `*`: `prefixEncoding`/`itemEncoding`). Runs once every type is known, before
/// [`drop_unknown`] (which warns of entries by position in a body of properties).
pub(super) fn positional(types: &[TypeDef], operations: &mut [Operation]) {
    for content in operations
        .iter_mut()
        .filter_map(|op| op.request_body.as_mut())
        .flat_map(|b| b.contents.iter_mut())
    {
        let form_data = media_essence(&content.media_type) == "multipart/form-data";
        let array = matches!(unalias(types, &content.ty).shape, Shape::Array(_));
        if content.kind == MediaKind::Multipart && !form_data && array {
            content.kind = MediaKind::Parts;
        }
    }
}

/// Drops (with a warning) the entries of properties a body does not have, once every type
/// is known.
pub(super) fn drop_unknown(
    types: &[TypeDef],
    operations: &mut [Operation],
    diags: &mut Vec<Diagnostic>,
) {
    for content in operations
        .iter_mut()
        .filter_map(|op| op.request_body.as_mut())
        .flat_map(|b| b.contents.iter_mut())
    {
        let Shape::Named(id) = &unalias(types, &content.ty).shape else {
            continue;
        };
        let TypeKind::Struct(s) = &types[id.0].kind else {
            continue;
        };
        if s.additional.is_some() {
            continue;
        }
        content.encoding.retain(|e| {
            let known = s.fields.iter().any(|f| f.name == e.property);
            if !known {
                diags.push(Diagnostic::warning(
                    &e.pointer,
                    format!(
                        "the body has no property `{}`; this encoding is not used",
                        e.property
                    ),
                ));
            }
            known
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /f:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/F"}
            encoding:
              a: {style: deepObject}
              b: {style: pipeDelimited}
              c: {style: form}
              d: {style: form, explode: false, allowReserved: true, contentType: text/csv}
              nope: {style: form}
          multipart/form-data:
            schema: {$ref: "#/components/schemas/F"}
            encoding:
              a:
                style: deepObject
                contentType: image/png
                headers:
                  X-Kind: {schema: {type: string, enum: [scan]}}
                  X-Pages: {required: true, schema: {$ref: "#/components/schemas/Pages"}}
                  Content-Type: {schema: {type: string}}
          application/json:
            schema: {$ref: "#/components/schemas/F"}
            encoding:
              a: {style: form}
      responses:
        "204": {description: done}
components:
  schemas:
    Pages: {type: integer, default: 1}
    F:
      type: object
      properties:
        a: {type: object}
        b: {type: array, items: {type: string}}
        c: {type: array, items: {type: string}}
        d: {type: array, items: {type: string}}
"##;

    #[test]
    fn entries_get_the_spec_defaults_and_unknown_ones_are_reported() {
        let resolved = crate::pipeline::resolve_text(std::path::Path::new("t.yaml"), SPEC, "t")
            .expect("resolves");
        let body = resolved.api.operations[0].request_body.as_ref().unwrap();
        let entry = |c: &Content, name: &str| {
            c.encoding
                .iter()
                .find(|e| e.property == name)
                .cloned()
                .unwrap_or_else(|| panic!("no entry for {name}"))
        };
        let form = &body.contents[0];
        assert_eq!(form.encoding.len(), 4, "{:#?}", form.encoding);
        let a = entry(form, "a");
        assert_eq!((a.style, a.explode), (ParamStyle::DeepObject, true));
        let b = entry(form, "b");
        assert_eq!((b.style, b.explode), (ParamStyle::PipeDelimited, false));
        let c = entry(form, "c");
        assert_eq!((c.style, c.explode), (ParamStyle::Form, true));
        let d = entry(form, "d");
        assert_eq!(
            (d.style, d.explode, d.allow_reserved),
            (ParamStyle::Form, false, true)
        );
        assert_eq!(d.content_type, None, "contentType is for multipart parts");

        let multipart = entry(&body.contents[1], "a");
        assert_eq!(multipart.style, ParamStyle::Form, "parts have no style");
        assert_eq!(multipart.content_type.as_deref(), Some("image/png"));
        assert_eq!(
            multipart.headers,
            vec![
                PartHeader {
                    name: "X-Kind".into(),
                    required: false,
                    value: Some("scan".into())
                },
                PartHeader {
                    name: "X-Pages".into(),
                    required: true,
                    value: Some("1".into())
                },
            ]
        );
        assert!(body.contents[2].encoding.is_empty());

        let warnings: Vec<(String, String)> = resolved
            .report
            .diagnostics
            .iter()
            .map(|d| (d.pointer.clone().unwrap_or_default(), d.message.clone()))
            .collect();
        let at = "#/paths/~1f/post/requestBody/content";
        assert!(
            warnings.contains(&(
                format!("{at}/application~1x-www-form-urlencoded/encoding/nope"),
                "the body has no property `nope`; this encoding is not used".into()
            )),
            "{warnings:#?}"
        );
        assert!(
            warnings
                .iter()
                .any(|(p, m)| p == &format!("{at}/application~1json/encoding")
                    && m.contains("form and multipart bodies only")),
            "{warnings:#?}"
        );
    }
}
