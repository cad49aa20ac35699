//! Paginated lists in the mock: a few pages, then an end. A page number, cursor or `Link`
//! parameter says which page is asked for (the first when absent); pages 1 to [`PAGES`] hold
//! items, and each but the last announces the next (a cursor `page-N`, as a link when the
//! spec's field is one, or a `Link: <...>; rel="next"` header); past the last, the list is
//! empty. So a client's auto-pagination walks every page and stops.

use http::{HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use crate::ir::*;

/// How many pages of items a paginated list has.
pub(super) const PAGES: u64 = 3;

/// Shapes the answer `body` (of type `ty`) of `op`, asked for with `params` (by Rust name)
/// at `path`, as the page it asks for, of `pages` pages.
#[allow(clippy::too_many_arguments)]
pub(super) fn paginate(
    pages: u64,
    api: &Api,
    op: &Operation,
    params: &Map<String, Value>,
    path: &str,
    ty: &TypeRef,
    body: &mut Value,
    headers: &mut HeaderMap,
) {
    let Some(pagination) = &op.pagination else {
        return;
    };
    let param = |i: usize| op.parameters.get(i);
    let asked = |i: usize| param(i).and_then(|p| params.get(&p.rust_name));
    let page = match &pagination.kind {
        PaginationKind::Page { page, .. } => asked(*page).and_then(number).unwrap_or(1),
        PaginationKind::Cursor { cursor, .. } => asked(*cursor).and_then(number).unwrap_or(1),
        PaginationKind::Link { params } => params
            .first()
            .and_then(|i| asked(*i))
            .and_then(number)
            .unwrap_or(1),
    };
    let items = wire_path(api, ty, &pagination.items);
    if page > pages {
        if let Some(Value::Array(items)) = items.as_deref().and_then(|p| at(body, p)) {
            items.clear();
        }
    }
    let more = page < pages;
    match &pagination.kind {
        PaginationKind::Page { total, .. } => {
            let per_page = items
                .as_deref()
                .and_then(|p| at(body, p))
                .and_then(|v| v.as_array().map(Vec::len))
                .map_or(1, |n| n.max(1) as u64);
            if let Some(total) = total.as_ref().and_then(|t| wire_path(api, ty, t)) {
                if let Some(v) = at(body, &total) {
                    *v = Value::from(pages * per_page);
                }
            }
        }
        PaginationKind::Cursor { cursor, next } => {
            let Some(next_path) = wire_path(api, ty, next) else {
                return;
            };
            let name = param(*cursor).map_or("cursor", |p| p.name.as_str());
            let as_link = next_path
                .iter()
                .any(|s| s.to_ascii_lowercase().contains("link"));
            let value = more.then(|| {
                let cursor = format!("page-{}", page + 1);
                if as_link {
                    format!("{path}?{name}={cursor}")
                } else {
                    cursor
                }
            });
            // The last page has no next: `null` if it may be; else, if it must be there, an
            // empty cursor (Slack's `next_cursor: ""`); else absent.
            let last = fields(api, ty, next).and_then(|f| f.last().copied());
            let value = match (value, last) {
                (Some(v), _) => Some(Value::String(v)),
                (None, Some(f)) if f.ty.nullable => Some(Value::Null),
                (None, Some(f)) if f.required => Some(Value::String(String::new())),
                (None, _) => None,
            };
            set(body, &next_path, value);
        }
        PaginationKind::Link { params } => {
            let Some(p) = params.first().and_then(|i| param(*i)) else {
                return;
            };
            if more {
                let next = match api.unalias(&p.ty).shape {
                    Shape::Integer(_) | Shape::Number(_) => (page + 1).to_string(),
                    _ => format!("page-{}", page + 1),
                };
                let link = format!("<{path}?{}={next}>; rel=\"next\"", p.name);
                if let Ok(v) = HeaderValue::from_str(&link) {
                    headers.insert(http::header::LINK, v);
                }
            }
        }
    }
}

/// The page a parameter's value names: a number, or a cursor `page-N`.
fn number(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.strip_prefix("page-").unwrap_or(s).parse().ok(),
        _ => None,
    }
}

/// The wire names of the fields `steps` walk through from a value of `ty`.
fn wire_path(api: &Api, ty: &TypeRef, steps: &[FieldStep]) -> Option<Vec<String>> {
    Some(
        fields(api, ty, steps)?
            .iter()
            .map(|f| f.name.clone())
            .collect(),
    )
}

/// The fields `steps` walk through from a value of `ty`.
fn fields<'a>(api: &'a Api, ty: &'a TypeRef, steps: &[FieldStep]) -> Option<Vec<&'a Field>> {
    let mut ty = ty;
    let mut out = Vec::new();
    for step in steps {
        let Shape::Named(id) = api.unalias(ty).shape else {
            return None;
        };
        let TypeKind::Struct(s) = &api.type_def(id).kind else {
            return None;
        };
        let field = s.fields.iter().find(|f| f.rust_name == step.rust_name)?;
        out.push(field);
        ty = &field.ty;
    }
    Some(out)
}

/// The value at `path` in `body`, when there is one.
fn at<'v>(body: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(body, |v, key| v.get_mut(key))
}

/// Sets the value at `path` (making the objects on the way), or removes it for `None`.
fn set(body: &mut Value, path: &[String], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut v = body;
    for key in parents {
        let Value::Object(map) = v else { return };
        v = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(map) = v {
        match value {
            Some(value) => {
                map.insert(last.clone(), value);
            }
            None => {
                map.remove(last);
            }
        }
    }
}
