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

use crate::ir::*;

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
    let body = op
        .responses
        .iter()
        .find(|r| r.status.is_success())?
        .contents
        .iter()
        .find(|c| c.kind == MediaKind::Json)?;
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

fn struct_fields<'t>(types: &'t [TypeDef], ty: &TypeRef) -> Option<&'t [Field]> {
    let Shape::Named(id) = ty.shape else {
        return None;
    };
    match &types[id.0].kind {
        TypeKind::Struct(s) => Some(&s.fields),
        TypeKind::Alias(inner) => struct_fields(types, inner),
        _ => None,
    }
}

fn step(f: &Field) -> FieldStep {
    FieldStep {
        rust_name: f.rust_name.clone(),
        optional: f.is_option(),
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
