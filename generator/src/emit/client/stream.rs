//! `.stream()` of a paginated operation: pages walked by cursor, page number or `Link`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::types::{ident, rust_type, shape_type, At};
use crate::emit::wire::content_type;
use crate::ir::*;

/// `expr` (an integer of `shape`) as an `i64`, without needless conversions.
fn to_i64(expr: TokenStream, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Integer(IntFormat::I64) => expr,
        Shape::Integer(IntFormat::U64) => quote!((#expr as i64)),
        _ => quote!(i64::from(#expr)),
    }
}

/// An `i64` expression as the integer type of `shape`.
fn from_i64(api: &Api, expr: TokenStream, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Integer(IntFormat::I64) => expr,
        Shape::Integer(_) => {
            let t = shape_type(api, shape, At::Outside);
            quote!((#expr) as #t)
        }
        _ => expr,
    }
}

/// The shape of the total-count field at `steps` in the first success body.
fn total_shape(api: &Api, responses: &[Response], steps: &[FieldStep]) -> Shape {
    let mut ty = responses
        .iter()
        .find(|r| r.status.is_success())
        .and_then(|r| r.contents.first())
        .map(|c| c.ty.clone());
    for s in steps {
        ty = ty.and_then(|t| match t.shape {
            Shape::Named(id) => match &api.type_def(id).kind {
                TypeKind::Struct(st) => st
                    .fields
                    .iter()
                    .find(|f| f.rust_name == s.rust_name)
                    .map(|f| f.ty.clone()),
                _ => None,
            },
            _ => None,
        });
    }
    ty.map_or(Shape::Integer(IntFormat::I64), |t| t.shape)
}

/// An `Option<&T>` expression for the value at `steps` inside `root`.
fn path_ref(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(Some(&#root));
    for s in steps {
        let f = ident(&s.rust_name);
        expr = if s.optional {
            quote!(#expr.and_then(|v| v.#f.as_ref()))
        } else {
            quote!(#expr.map(|v| &v.#f))
        };
    }
    expr
}

/// The same, moving the value out of `root`.
fn path_move(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(Some(#root));
    for s in steps {
        let f = ident(&s.rust_name);
        expr = if s.optional {
            quote!(#expr.and_then(|v| v.#f))
        } else {
            quote!(#expr.map(|v| v.#f))
        };
    }
    expr
}

/// `stream()` of an operation that pages by its `Link` header: each page is fetched with its
/// headers; the query of the `rel="next"` link sets the listed parameters of a copy of the
/// request, which is sent to the client's own base URL (the link is never followed).
fn link_stream_fn(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    params: &[usize],
    item: &TokenStream,
    page_ty: &TokenStream,
    err_ty: &TokenStream,
) -> TokenStream {
    let items = if p.items.is_empty() {
        quote!(page.value)
    } else {
        let path = path_move(quote!(page.value), &p.items);
        quote!(#path.unwrap_or_default())
    };
    let sets = params.iter().map(|i| {
        let param = &op.parameters[*i];
        let field = ident(&param.rust_name);
        let wire = &param.name;
        let ty = rust_type(api, &param.ty, At::Outside);
        let parse = match param.ty.shape {
            Shape::Integer(_) => quote!(and_then(|(_, value)| value.parse::<#ty>().ok())),
            _ => quote!(map(|(_, value)| ToString::to_string(value))),
        };
        quote! {
            let found: Option<#ty> = query
                .iter()
                .find(|(k, _)| k == #wire)
                .#parse;
            if found.is_some() && next.#field != found {
                next.#field = found;
                moved = true;
            }
        }
    });
    quote! {
        /// Every item of every page, fetching pages as the stream is read: the next page is the
        /// one the response's `Link` header announces (`rel="next"`), asked of this client's
        /// base URL with the same credentials. The stream ends after the last page, or with
        /// the first error.
        pub fn stream(self) -> rt::BoxStream<Result<#item, rt::Error<#err_ty>>> {
            Box::pin(rt::paginate(
                self,
                |request: Self| request.send_with_response(),
                |request: &Self, page: rt::Response<#page_ty>| {
                    let following = rt::next_link_query(&page.headers).and_then(|query| {
                        let mut next = request.clone();
                        let mut moved = false;
                        #(#sets)*
                        // A link that changes nothing would ask for the same page again.
                        moved.then_some(next)
                    });
                    let items: Vec<#item> = #items;
                    (items, following)
                },
            ))
        }
    }
}

pub(super) fn stream_fn(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    err_ty: &TokenStream,
) -> TokenStream {
    let item = rust_type(api, &p.item, At::Outside);
    let (_, page_ty) = {
        let (list, _) = op.successes();
        match list.first().and_then(|(_, c)| *c) {
            Some(c) => ((), content_type(api, c)),
            None => return quote!(),
        }
    };
    if let PaginationKind::Link { params } = &p.kind {
        return link_stream_fn(api, op, p, params, &item, &page_ty, err_ty);
    }
    let items = path_move(quote!(page), &p.items);
    let items_ref = path_ref(quote!(page), &p.items);
    let next = match &p.kind {
        PaginationKind::Link { .. } => unreachable!("handled above"),
        PaginationKind::Cursor { cursor, next } => {
            let param = &op.parameters[*cursor];
            let field = ident(&param.rust_name);
            let wire = &param.name;
            let link = path_ref(quote!(page), next);
            quote! {
                let following = rt::next_cursor(#link, #wire, request.#field.as_deref())
                    .map(|cursor| request.clone().#field(cursor));
            }
        }
        PaginationKind::Page {
            page,
            per_page,
            total,
        } => {
            let page_param = &op.parameters[*page];
            let page_field = ident(&page_param.rust_name);
            let current_v = to_i64(quote!(v), &page_param.ty.shape);
            let next_page = from_i64(api, quote!(current + 1), &page_param.ty.shape);
            let first = page_param
                .ty
                .default
                .as_ref()
                .and_then(|d| d.as_i64())
                .unwrap_or(1);
            let first = proc_macro2::Literal::i64_unsuffixed(first);
            let size = match per_page {
                Some(i) => {
                    let pp = &op.parameters[*i];
                    let f = ident(&pp.rust_name);
                    let v = to_i64(quote!(v), &pp.ty.shape);
                    match pp.ty.default.as_ref().and_then(|d| d.as_i64()) {
                        Some(d) => {
                            let d = proc_macro2::Literal::i64_unsuffixed(d);
                            quote!(Some(request.#f.map_or(#d, |v| #v)))
                        }
                        None => quote!(request.#f.map(|v| #v)),
                    }
                }
                None => quote!(None::<i64>),
            };
            let total = match total {
                Some(steps) => {
                    let e = path_ref(quote!(page), steps);
                    let shape = total_shape(api, &op.responses, steps);
                    let t = to_i64(quote!(*t), &shape);
                    quote!(#e.map(|t| #t))
                }
                None => quote!(None::<i64>),
            };
            quote! {
                let total: Option<i64> = #total;
                                let current = request.#page_field.map_or(#first, |v| #current_v);
                let size: Option<i64> = #size;
                                let count = #items_ref.map_or(0, |items| items.len());
                let more = rt::more_pages(#first, current, size, count, total);
                                let following = more.then(|| request.clone().#page_field(#next_page));
            }
        }
    };
    quote! {
                /// Every item of every page, fetching pages as the stream is read. The stream ends
        /// after the last page, or with the first error.
        #[allow(clippy::redundant_closure, clippy::map_clone)]
        pub fn stream(self) -> rt::BoxStream<Result<#item, rt::Error<#err_ty>>> {
            Box::pin(rt::paginate(
                self,
                |request: Self| request.send(),
                                |request: &Self, page: #page_ty| {
                    // Everything read by reference first: `items` moves out of `page`.
                    #next
                    let items: Vec<#item> = #items.unwrap_or_default();
                                        (items, following)
                },
            ))
        }
    }
}
