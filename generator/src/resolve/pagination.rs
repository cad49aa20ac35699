//! Auto-pagination, detected from an operation's parameters and response, so that specs need
//! no annotation (SparkPost's cannot have one: it is restored verbatim).
//!
//! A GET whose first success response is an object with exactly one array field pages if it
//! also has:
//! - a cursor: an optional query parameter named like a cursor (`cursor`, `page_token`...)
//!   and a string field for the next one (`next`, `next_cursor`...), at the top of the body
//!   or in an object field such as `links`, `pagination` or `meta`; or
//! - page numbers: an optional integer query parameter `page` (or `page_number`), maybe a
//!   page size (`per_page`, `page_size`, `limit`) and a total (`count`, `total`,
//!   `total_count`) at the top or one object down.
//!
//! A GET pages by its `Link` header (RFC 8288, GitHub's way) when its success body is a bare
//! array and it takes a page or cursor parameter, or when its success response declares a
//! `Link` header (the items being the body's one array field).
//!
//! The `x-openapi-gen-pagination` extension on an operation overrides detection
//! ([`configured`]).

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::pointer::join;

/// Parameters that move through pages of a `Link`-paginated listing.
const LINK_CURSOR_PARAMS: &[&str] = &["since", "after", "before", "offset", "until"];

const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pagetoken",
    "next_token",
    "starting_after",
    "continuation_token",
];
const NEXT_FIELDS: &[&str] = &[
    "next",
    // Dropshot's (Oxide's) `ResultsPage`.
    "next_page",
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pagenumber"];
const PER_PAGE_PARAMS: &[&str] = &[
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "limit",
    "size",
];
const TOTAL_FIELDS: &[&str] = &[
    "count",
    "total",
    "total_count",
    "totalcount",
    "total_items",
    "totalitems",
];
const CONTAINERS: &[&str] = &[
    "links",
    "pagination",
    "meta",
    "paging",
    "page_info",
    "pageinfo",
];

pub(super) fn detect(types: &[TypeDef], op: &Operation) -> Option<Pagination> {
    if op.method != Method::Get {
        return None;
    }
    let (response, body) = single_success(op)?;
    let link_header = response
        .headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("link"));
    if let Some(item) = array_item(types, &body.ty) {
        let pages = op.parameters.iter().any(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && [PAGE_PARAMS, CURSOR_PARAMS, LINK_CURSOR_PARAMS]
                    .iter()
                    .any(|names| names.contains(&p.name.to_ascii_lowercase().as_str()))
        });
        let params = link_params(op);
        return ((pages || link_header) && !params.is_empty()).then(|| Pagination {
            kind: PaginationKind::Link { params },
            items: Vec::new(),
            item,
        });
    }
    let fields = struct_fields(types, &body.ty)?;
    let mut arrays = fields
        .iter()
        .filter(|f| matches!(f.ty.shape, Shape::Array(_)));
    let items_field = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let Shape::Array(item) = &items_field.ty.shape else {
        return None;
    };
    let items = vec![step(items_field)];
    let param = |names: &[&str], integer: bool| {
        op.parameters.iter().position(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && names.contains(&p.name.to_ascii_lowercase().as_str())
                && (!integer || matches!(p.ty.shape, Shape::Integer(_)))
        })
    };
    let kind = if let (Some(cursor), Some(next)) = (
        param(CURSOR_PARAMS, false),
        find(
            types,
            fields,
            NEXT_FIELDS,
            |s| matches!(s, Shape::String(f) if *f != StringFormat::Byte),
        ),
    ) {
        PaginationKind::Cursor { cursor, next }
    } else if let Some(params) = link_header
        .then(|| link_params(op))
        .filter(|p| !p.is_empty())
    {
        PaginationKind::Link { params }
    } else if let Some(page) = param(PAGE_PARAMS, true) {
        PaginationKind::Page {
            page,
            per_page: param(PER_PAGE_PARAMS, true),
            total: find(types, fields, TOTAL_FIELDS, |s| {
                matches!(s, Shape::Integer(_))
            }),
        }
    } else {
        return None;
    };
    Some(Pagination {
        kind,
        items,
        item: (**item).clone(),
    })
}

/// The operation's only success response and its only body, when that is JSON: a page is
/// then the one type a request decodes into.
fn single_success(op: &Operation) -> Option<(&Response, &Content)> {
    match op.successes() {
        (outcomes, false) => match outcomes.as_slice() {
            [(response, Some(body))] if body.kind == MediaKind::Json => Some((response, body)),
            _ => None,
        },
        _ => None,
    }
}

/// The optional query parameters of plain integer or string type: what a next link may set.
fn link_params(op: &Operation) -> Vec<usize> {
    op.parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.location == ParamLocation::Query
                && !p.required
                && p.scope.is_none()
                && !p.ty.nullable
                && matches!(
                    p.ty.shape,
                    Shape::Integer(_) | Shape::String(StringFormat::Plain)
                )
        })
        .map(|(i, _)| i)
        .collect()
}

/// The item type of a body that is an array (through aliases).
fn array_item(types: &[TypeDef], ty: &TypeRef) -> Option<TypeRef> {
    match &unalias(types, ty).shape {
        Shape::Array(item) => Some((**item).clone()),
        _ => None,
    }
}

/// Pagination as the operation's `x-openapi-gen-pagination` extension says, for specs that
/// detection gets wrong: `false` (or `style: none`) for none, else an object with `style`
/// (`link`, `cursor` or `page`), `parameter` (the cursor or page parameter; for `link`, the
/// only one a next link may set), `per_page`, `items` (dotted field path to the array of
/// items; empty or absent for a body that is the array, or to take its one array field),
/// `next` (cursor: dotted path to the next cursor or link) and `total` (page: dotted path to
/// the total). Mistakes are errors at the extension's place.
pub(super) fn configured(
    types: &[TypeDef],
    op: &Operation,
    ext: &Value,
    at: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Pagination> {
    let mut fail = |key: &str, message: String| {
        let here = if key.is_empty() {
            at.to_string()
        } else {
            join(at, key)
        };
        diags.push(Diagnostic::error(here, message));
        None
    };
    let style = match ext {
        Value::Bool(false) => return None,
        Value::Object(o) => o.get("style").and_then(Value::as_str).unwrap_or(""),
        _ => {
            return fail(
                "",
                "`x-openapi-gen-pagination` is `false` or an object with a `style`".into(),
            )
        }
    };
    if style == "none" {
        return None;
    }
    let text = |key: &str| ext.get(key).and_then(Value::as_str);
    let param = |name: &str| {
        op.parameters
            .iter()
            .position(|p| p.location == ParamLocation::Query && p.name == name)
    };
    let Some((_, body)) = single_success(op) else {
        return fail(
            "",
            "pages need exactly one success response, with one JSON body".into(),
        );
    };
    // The items: a dotted path, or the body itself, or its one array field.
    let (items, item) = match text("items").filter(|p| !p.is_empty()) {
        Some(path) => match walk(types, &body.ty, path) {
            Some((steps, ty)) => match array_item(types, &ty) {
                Some(item) => (steps, item),
                None => return fail("items", format!("`{path}` is not an array")),
            },
            None => return fail("items", format!("the success body has no field `{path}`")),
        },
        None => match array_item(types, &body.ty) {
            Some(item) => (Vec::new(), item),
            None => {
                let one = struct_fields(types, &body.ty).and_then(|fields| {
                    let mut arrays = fields
                        .iter()
                        .filter(|f| matches!(f.ty.shape, Shape::Array(_)));
                    match (arrays.next(), arrays.next()) {
                        (Some(f), None) => Some(f),
                        _ => None,
                    }
                });
                match one {
                    Some(f) => match &f.ty.shape {
                        Shape::Array(item) => (vec![step(f)], (**item).clone()),
                        _ => unreachable!("filtered on arrays"),
                    },
                    None => {
                        return fail(
                            "items",
                            "say which field holds the items: the body is not one array".into(),
                        )
                    }
                }
            }
        },
    };
    let named_param = |key: &str| -> Result<Option<usize>, String> {
        match text(key) {
            None => Ok(None),
            Some(name) => param(name)
                .map(Some)
                .ok_or_else(|| format!("the operation has no query parameter `{name}`")),
        }
    };
    let kind = match style {
        "link" => {
            let params = match named_param("parameter") {
                Ok(Some(i)) => vec![i],
                Ok(None) => link_params(op),
                Err(e) => return fail("parameter", e),
            };
            if params.is_empty() {
                return fail(
                    "",
                    "no optional query parameter for a next link to set".into(),
                );
            }
            PaginationKind::Link { params }
        }
        "cursor" => {
            let cursor = match named_param("parameter") {
                Ok(Some(i)) => i,
                Ok(None) => return fail("parameter", "a cursor needs its `parameter`".into()),
                Err(e) => return fail("parameter", e),
            };
            let next = match text("next").and_then(|p| walk(types, &body.ty, p)) {
                Some((steps, ty)) if matches!(ty.shape, Shape::String(_)) => steps,
                _ => {
                    return fail(
                        "next",
                        "`next` must be the dotted path to a string field of the success body"
                            .into(),
                    )
                }
            };
            PaginationKind::Cursor { cursor, next }
        }
        "page" => {
            let page = match named_param("parameter") {
                Ok(Some(i)) if matches!(op.parameters[i].ty.shape, Shape::Integer(_)) => i,
                Ok(_) => return fail("parameter", "pages need their integer `parameter`".into()),
                Err(e) => return fail("parameter", e),
            };
            let per_page = match named_param("per_page") {
                Ok(i) => i.filter(|i| matches!(op.parameters[*i].ty.shape, Shape::Integer(_))),
                Err(e) => return fail("per_page", e),
            };
            let total = match text("total") {
                None => None,
                Some(p) => match walk(types, &body.ty, p) {
                    Some((steps, ty)) if matches!(ty.shape, Shape::Integer(_)) => Some(steps),
                    _ => return fail("total", format!("`{p}` is not an integer field")),
                },
            };
            PaginationKind::Page {
                page,
                per_page,
                total,
            }
        }
        other => {
            return fail(
                "style",
                format!("unknown pagination style {other:?}; expected link, cursor, page or none"),
            )
        }
    };
    Some(Pagination { kind, items, item })
}

/// Follows a dotted path of field names (as on the wire) from a body type: the steps and
/// the type found.
fn walk(types: &[TypeDef], ty: &TypeRef, path: &str) -> Option<(Vec<FieldStep>, TypeRef)> {
    let mut steps = Vec::new();
    let mut here = ty.clone();
    for name in path.split('.') {
        let fields = struct_fields(types, &here)?;
        let f = fields.iter().find(|f| f.name == name)?;
        steps.push(step(f));
        here = f.ty.clone();
    }
    Some((steps, here))
}

fn struct_fields<'t>(types: &'t [TypeDef], ty: &'t TypeRef) -> Option<&'t [Field]> {
    // The fields of a type the user replaced are not known to be there.
    let replaced =
        |t: &TypeRef| matches!(t.shape, Shape::Named(id) if types[id.0].rust_path.is_some());
    if replaced(ty) {
        return None;
    }
    let ty = unalias(types, ty);
    let Shape::Named(id) = ty.shape else {
        return None;
    };
    if replaced(ty) {
        return None;
    }
    match &types[id.0].kind {
        TypeKind::Struct(s) => Some(&s.fields),
        _ => None,
    }
}

fn step(f: &Field) -> FieldStep {
    FieldStep {
        rust_name: f.rust_name.clone(),
        optional: f.is_option(),
        tri_state: f.is_tri_state(),
    }
}

/// A field named one of `names` with a matching shape, at the top or in a container field.
fn find(
    types: &[TypeDef],
    fields: &[Field],
    names: &[&str],
    shape: impl Fn(&Shape) -> bool,
) -> Option<Vec<FieldStep>> {
    let named = |fs: &[Field]| {
        fs.iter()
            .find(|f| names.contains(&f.name.to_ascii_lowercase().as_str()) && shape(&f.ty.shape))
            .map(step)
    };
    if let Some(s) = named(fields) {
        return Some(vec![s]);
    }
    fields
        .iter()
        .filter(|f| CONTAINERS.contains(&f.name.to_ascii_lowercase().as_str()))
        .find_map(|container| {
            let inner = named(struct_fields(types, &container.ty)?)?;
            Some(vec![step(container), inner])
        })
}
