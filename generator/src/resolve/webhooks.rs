//! The requests the API sends: OpenAPI 3.1 `webhooks` (kept by `convert` in an extension)
//! and the `callbacks` of its operations, resolved as operations that the API's users serve
//! (each at `/<name>`) and the API sends.

use indexmap::IndexMap;
use openapiv3 as oa;
use openapiv3::ReferenceOr;

use super::{OperationSite, Resolver};
use crate::convert::WEBHOOKS_EXTENSION;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::join;

/// A path item the API sends requests of: its name, and where it is.
struct Source {
    name: String,
    at: String,
    item: oa::PathItem,
    /// Where a receiver serves it: a callback URL's literal tail (`{$request.query.url}/data`
    /// is `/data`), else `/<name>`.
    path: Option<String>,
    /// A callback (its URL given per request), not a webhook of `webhooks`.
    callback: bool,
}

impl Resolver<'_> {
    /// Every webhook and callback, in document order (webhooks first), named in a scope of
    /// their own.
    pub(super) fn webhooks(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let sources = self.webhook_sources();
        let outer = std::mem::replace(
            &mut self.fn_names,
            Scope::with_reserved(names::CLIENT_METHODS),
        );
        let mut op_types = Scope::with_reserved(names::PRELUDE);
        let mut out = Vec::new();
        for source in &sources {
            let path = source
                .path
                .clone()
                .unwrap_or_else(|| format!("/{}", route_name(&source.name)));
            let several = source.item.iter().count() > 1;
            for (method, op) in source.item.iter() {
                let at = join(&source.at, method);
                let base = match &op.operation_id {
                    Some(id) => names::snake_name(id),
                    None if several => names::snake_name(&format!("{} {method}", source.name)),
                    None => names::snake_name(&source.name),
                };
                let rust_name = self.fn_names.claim(&base);
                let type_name = op_types.claim(&names::type_name(&rust_name));
                let site = OperationSite {
                    path: &path,
                    method,
                    item: &source.item,
                    op,
                    at: &at,
                    rust_name,
                    type_name,
                    schemes,
                };
                if let Some(mut op) = self.operation(site) {
                    // The signature authenticates a delivery; the API's own schemes do not.
                    op.security = Some(Vec::new());
                    op.webhook = true;
                    op.at_base_url = source.callback && source.path.is_none();
                    out.push(op);
                }
            }
        }
        self.fn_names = outer;
        out
    }

    fn webhook_sources(&mut self) -> Vec<Source> {
        let doc = self.doc;
        let mut out = Vec::new();
        if let Some(hooks) = doc.extensions.get(WEBHOOKS_EXTENSION) {
            let root = format!("#/{WEBHOOKS_EXTENSION}");
            match serde_json::from_value::<IndexMap<String, ReferenceOr<oa::PathItem>>>(
                hooks.clone(),
            ) {
                Ok(hooks) => {
                    for (name, item) in hooks {
                        let at = join(&root, &name);
                        match item {
                            ReferenceOr::Item(item) => out.push(Source {
                                name,
                                at,
                                item,
                                path: None,
                                callback: false,
                            }),
                            ReferenceOr::Reference { .. } => self.diags.push(Diagnostic::warning(
                                join(&at, "$ref"),
                                format!("webhook `{name}` is given by `$ref`, which is not followed; it is not generated"),
                            )),
                        }
                    }
                }
                Err(e) => self.diags.push(Diagnostic::error(
                    root,
                    format!("`webhooks` is not a map of path items: {e}"),
                )),
            }
        }
        for (path, item) in doc.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                let op_at = join(&join("#/paths", path), method);
                for (name, callback) in &op.callbacks {
                    let several = callback.len() > 1;
                    for (i, (expression, item)) in callback.iter().enumerate() {
                        let at = join(&join(&join(&op_at, "callbacks"), name), expression);
                        let name = if several {
                            format!("{name} {}", i + 1)
                        } else {
                            name.clone()
                        };
                        out.push(Source {
                            path: callback_path(expression),
                            callback: true,
                            name,
                            at,
                            item: item.clone(),
                        });
                    }
                }
            }
        }
        out
    }
}

/// A webhook's name as a path segment: as written when it is URL-safe, else snake_case.
fn route_name(name: &str) -> String {
    let safe = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    if safe {
        name.to_string()
    } else {
        names::snake_name(name)
    }
}

/// The property that tells every webhook's JSON payload apart, when there is one: required
/// in each, a single value of its own in each (`type: const message.delivered`). `type`,
/// `event` and `kind` are preferred, in that order, then the first shared one.
pub(super) fn tag(api: &Api) -> Option<(String, Vec<(usize, String)>)> {
    // The webhooks proper: callbacks answer one operation each, not a feed of events.
    let hooks: Vec<usize> = (0..api.webhooks.len())
        .filter(|i| !api.webhooks[*i].pointer.starts_with("#/paths/"))
        .collect();
    if hooks.len() < 2 {
        return None;
    }
    // Each webhook's (property, value) candidates.
    let candidates: Vec<Vec<(String, String)>> = hooks
        .iter()
        .map(|i| &api.webhooks[*i])
        .map(|op| {
            let body = op.request_body.as_ref()?;
            let [content] = body.contents.as_slice() else {
                return None;
            };
            if content.kind != MediaKind::Json {
                return None;
            }
            let Shape::Named(id) = api.unalias(&content.ty).shape else {
                return None;
            };
            let TypeKind::Struct(s) = &api.type_def(id).kind else {
                return None;
            };
            let tags = s.fields.iter().filter(|f| f.required).filter_map(|f| {
                let Shape::Named(t) = api.unalias(&f.ty).shape else {
                    return None;
                };
                match &api.type_def(t).kind {
                    TypeKind::Enum(e) if e.variants.len() == 1 => {
                        Some((f.name.clone(), e.variants[0].value.as_str()?.to_string()))
                    }
                    _ => None,
                }
            });
            Some(tags.collect())
        })
        .collect::<Option<_>>()?;
    let shared: Vec<&String> = candidates[0]
        .iter()
        .map(|(p, _)| p)
        .filter(|p| candidates.iter().all(|c| c.iter().any(|(q, _)| q == *p)))
        .collect();
    let property = ["type", "event", "kind"]
        .iter()
        .find_map(|w| shared.iter().find(|p| p.as_str() == *w))
        .or(shared.first())?
        .to_string();
    let values: Vec<String> = candidates
        .iter()
        .map(|c| {
            c.iter()
                .find(|(p, _)| *p == property)
                .map(|(_, v)| v.clone())
        })
        .collect::<Option<_>>()?;
    let distinct = values
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        == values.len();
    distinct.then(|| (property, hooks.into_iter().zip(values).collect()))
}

/// The path a callback URL adds after its runtime expressions, when it is a plain path:
/// `{$request.query.callbackUrl}/data` is `/data`. A URL that is the expression alone, or
/// whose tail has expressions or a query of its own, has none.
fn callback_path(expression: &str) -> Option<String> {
    let tail = &expression[expression.rfind('}')? + 1..];
    let plain = tail.len() > 1
        && tail.starts_with('/')
        && tail
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~'));
    plain.then(|| tail.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_paths_are_the_literal_tail() {
        assert_eq!(
            callback_path("{$request.query.callbackUrl}/data").as_deref(),
            Some("/data")
        );
        assert_eq!(
            callback_path("{$request.body#/url}/v1/events/").as_deref(),
            Some("/v1/events")
        );
        assert_eq!(callback_path("{$request.body#/url}"), None);
        assert_eq!(
            callback_path("{$request.body#/url}/{$request.body#/id}"),
            None
        );
        assert_eq!(callback_path("https://example.com/hooks?x=1"), None);
        assert_eq!(route_name("messageDelivered"), "messageDelivered");
        assert_eq!(route_name("message delivered"), "message_delivered");
    }
}
