//! Parameters: path-level merged with operation-level, their locations and styles, and the
//! path template checked against them.

use std::collections::HashSet;

use openapiv3 as oa;
use serde_json::Value;

use super::{describe_op, Resolver, SCOPE_EXTENSION};
use crate::convert::v32::QUERYSTRING;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::join;

impl Resolver<'_> {
    /// Path-level parameters, overridden by operation-level ones with the same name and
    /// location, in spec order.
    pub(super) fn parameters(
        &mut self,
        item: &oa::PathItem,
        op: &oa::Operation,
        at: &str,
        path_at: &str,
        op_type: &str,
    ) -> Vec<Parameter> {
        let mut resolved: Vec<(oa::Parameter, String)> = Vec::new();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, join(&join(path_at, "parameters"), i.to_string())))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, join(&join(at, "parameters"), i.to_string()))),
            );
        let mut from_operation = HashSet::new();
        for (p, here) in sources {
            let Some((_, param)) = self.item(p, &here) else {
                continue;
            };
            let is_op_level = here.starts_with(at) && here[at.len()..].starts_with("/parameters");
            let key = (param.parameter_data_ref().name.clone(), location_of(&param));
            if let Some(existing) = resolved
                .iter()
                .position(|(q, _)| (q.parameter_data_ref().name.clone(), location_of(q)) == key)
            {
                if is_op_level && !from_operation.contains(&key) {
                    resolved[existing] = (param, here);
                    from_operation.insert(key);
                } else {
                    self.diags.push(Diagnostic::error(
                        here,
                        format!(
                            "parameter \"{}\" in {} is declared twice",
                            key.0,
                            location_name(key.1)
                        ),
                    ));
                }
                continue;
            }
            if is_op_level {
                from_operation.insert(key);
            }
            resolved.push((param, here));
        }

        self.match_template(&mut resolved, at, path_at);

        // The builder's own methods and fields.
        let mut scope = Scope::with_reserved(&[
            "body",
            "send",
            "send_with_response",
            "stream",
            "timeout",
            "core",
            "into_future",
            "request",
            "execute",
        ]);
        let mut out = Vec::new();
        for (param, here) in resolved {
            let data = param.parameter_data_ref();
            let location = match data.extensions.get(QUERYSTRING) {
                Some(Value::Bool(true)) => ParamLocation::QueryString,
                _ => location_of(&param),
            };
            let json = match &data.format {
                oa::ParameterSchemaOrContent::Content(content) => content
                    .keys()
                    .next()
                    .is_some_and(|media| MediaKind::of(media) == MediaKind::Json),
                oa::ParameterSchemaOrContent::Schema(_) => false,
            };
            let (style, explode, allow_reserved) = style_of(&param);
            let data = param.parameter_data();
            let base = names::snake_name(&data.name);
            let rust_name = if scope.contains(&base) {
                scope.claim(&names::snake_name(&format!(
                    "{} {}",
                    data.name,
                    location_name(location)
                )))
            } else {
                scope.claim(&base)
            };
            let hint = format!("{op_type} {}", data.name);
            let ty = match &data.format {
                oa::ParameterSchemaOrContent::Schema(s) => {
                    self.schema(s, &join(&here, "schema"), &hint)
                }
                oa::ParameterSchemaOrContent::Content(content) => {
                    let textual = content
                        .keys()
                        .next()
                        .is_some_and(|media| MediaKind::of(media) == MediaKind::Text);
                    if !json && !textual {
                        self.diags.push(Diagnostic::warning(
                            join(&here, "content"),
                            "a parameter given by `content` in a media type other than JSON or text is written as its schema's type; the media type's encoding is not applied",
                        ));
                    }
                    match content.iter().next() {
                        Some((media, m)) => match &m.schema {
                            Some(s) => self.schema(
                                s,
                                &join(&join(&join(&here, "content"), media), "schema"),
                                &hint,
                            ),
                            None => TypeRef::new(Shape::String(StringFormat::Plain)),
                        },
                        None => TypeRef::new(Shape::String(StringFormat::Plain)),
                    }
                }
            };
            let scope_ext = match data.extensions.get(SCOPE_EXTENSION) {
                None => None,
                Some(Value::String(s)) if !s.is_empty() => Some(names::snake_name(s)),
                Some(other) => {
                    self.diags.push(Diagnostic::error(
                        join(&here, SCOPE_EXTENSION),
                        format!("`{SCOPE_EXTENSION}` must be a non-empty string naming the scope (e.g. \"account\"), found {}", crate::structure::kind_of(other)),
                    ));
                    None
                }
            };
            out.push(Parameter {
                name: data.name,
                rust_name,
                location,
                required: data.required || location == ParamLocation::Path,
                deprecated: data.deprecated.unwrap_or(false),
                description: data.description,
                ty,
                style,
                explode,
                allow_reserved,
                json,
                scope: scope_ext,
                pointer: here,
            });
        }
        out
    }

    /// The path template against the declared path parameters, read as the author meant:
    /// a declared one the template lacks is ignored, a name in the template that is not
    /// declared is a required string. Both are warned.
    fn match_template(
        &mut self,
        resolved: &mut Vec<(oa::Parameter, String)>,
        at: &str,
        path_at: &str,
    ) {
        let path = crate::pointer::segments(path_at).pop().unwrap_or_default();
        let template = template_names(&path);
        resolved.retain(|(param, here)| {
            let name = &param.parameter_data_ref().name;
            if location_of(param) != ParamLocation::Path || template.contains(&name.as_str()) {
                return true;
            }
            self.diags.push(
                Diagnostic::lenient(
                    here.clone(),
                    format!(
                        "path parameter \"{name}\" does not appear in the path template \"{path}\"; it is ignored"
                    ),
                )
                .with_help("remove the parameter, or add it to the path"),
            );
            false
        });
        for (index, name) in template.iter().copied().enumerate() {
            let declared = resolved.iter().any(|(p, _)| {
                location_of(p) == ParamLocation::Path && p.parameter_data_ref().name == name
            });
            if declared {
                continue;
            }
            self.diags.push(
                Diagnostic::lenient(
                    path_at,
                    format!(
                        "path template parameter `{{{name}}}` is not declared as a path parameter of {}; it is read as a required string",
                        describe_op(at)
                    ),
                )
                .with_help("declare it under `parameters` with `in: path`"),
            );
            let string = oa::Schema {
                schema_data: oa::SchemaData::default(),
                schema_kind: oa::SchemaKind::Type(oa::Type::String(oa::StringType::default())),
            };
            // Before the first declared path parameter that comes later in the template,
            // so that arguments follow the path.
            let later = resolved.iter().position(|(p, _)| {
                location_of(p) == ParamLocation::Path
                    && template
                        .iter()
                        .position(|t| *t == p.parameter_data_ref().name)
                        .is_some_and(|i| i > index)
            });
            resolved.insert(
                later.unwrap_or(resolved.len()),
                (
                    oa::Parameter::Path {
                        parameter_data: oa::ParameterData {
                            name: name.to_string(),
                            description: None,
                            required: true,
                            deprecated: None,
                            format: oa::ParameterSchemaOrContent::Schema(oa::ReferenceOr::Item(
                                string,
                            )),
                            example: None,
                            examples: Default::default(),
                            explode: None,
                            extensions: Default::default(),
                        },
                        style: oa::PathStyle::Simple,
                    },
                    path_at.to_string(),
                ),
            );
        }
    }

    /// Splits the path template and checks it against the declared path parameters.
    pub(super) fn path_segments(
        &mut self,
        path: &str,
        params: &[Parameter],
        at: &str,
        path_at: &str,
    ) -> Vec<PathSegment> {
        let mut segments = Vec::new();
        let mut used = HashSet::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.diags.push(Diagnostic::error(
                    path_at,
                    format!("path \"{path}\" has an unclosed `{{`"),
                ));
                return segments;
            };
            let name = &rest[open + 1..open + close];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.name == name) {
                Some(i) => {
                    used.insert(i);
                    segments.push(PathSegment::Param(i));
                }
                None => self.diags.push(Diagnostic::error(
                    path_at,
                    format!("path template parameter `{{{name}}}` is not declared as a path parameter of {}", describe_op(at)),
                )),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_string()));
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                self.diags.push(Diagnostic::error(
                    &p.pointer,
                    format!(
                        "path parameter \"{}\" does not appear in the path template \"{path}\"",
                        p.name
                    ),
                ));
            }
        }
        segments
    }
}

/// The names in a path template's `{braces}`, in order, each once.
fn template_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if !names.contains(&name) {
            names.push(name);
        }
        rest = &rest[open + close + 1..];
    }
    names
}

fn location_of(p: &oa::Parameter) -> ParamLocation {
    match p {
        oa::Parameter::Query { .. } => ParamLocation::Query,
        oa::Parameter::Header { .. } => ParamLocation::Header,
        oa::Parameter::Path { .. } => ParamLocation::Path,
        oa::Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn location_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::QueryString => "querystring",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Style, explode and allowReserved, with the defaults of OpenAPI 3.0 §4.7.12.
fn style_of(p: &oa::Parameter) -> (ParamStyle, bool, bool) {
    let explicit = p.parameter_data_ref().explode;
    let (style, allow_reserved) = match p {
        oa::Parameter::Query {
            style,
            allow_reserved,
            ..
        } => (
            match style {
                oa::QueryStyle::Form => ParamStyle::Form,
                oa::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                oa::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                oa::QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            *allow_reserved,
        ),
        oa::Parameter::Path { style, .. } => (
            match style {
                oa::PathStyle::Simple => ParamStyle::Simple,
                oa::PathStyle::Label => ParamStyle::Label,
                oa::PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        oa::Parameter::Header { .. } => (ParamStyle::Simple, false),
        oa::Parameter::Cookie { .. } => (ParamStyle::Form, false),
    };
    (
        style,
        explicit.unwrap_or(style == ParamStyle::Form),
        allow_reserved,
    )
}
