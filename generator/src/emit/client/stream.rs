//! `.stream()` of a paginated operation: pages walked by cursor, page number or `Link`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::spell::{ident, rust_type, shape_type, At};
use crate::ir::*;

/// `expr` (an integer of `shape`) as an `i64`, without needless conversions.
fn to_i64(expr: TokenStream, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Integer(IntFormat::I64) => expr,
        Shape::Integer(IntFormat::U64) => quote!((#expr as i64)),
        _ => quote!(i64::from(#expr)),
    }
}

/// `expr` (an `Option` of an integer of `shape`) as an `Option<i64>`.
fn option_to_i64(expr: TokenStream, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Integer(IntFormat::I64) => expr,
        Shape::Integer(IntFormat::U64) => quote!(#expr.map(|v| v as i64)),
        _ => quote!(#expr.map(i64::from)),
    }
}

/// An `i64` expression as the integer type of `shape`.
fn from_i64(api: &Api, expr: TokenStream, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Integer(IntFormat::I64) => expr,
        Shape::Integer(_) => {
            let t = shape_type(api, shape, At::Outside);
            quote!(#expr as #t)
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

/// `root.a.b` for the steps up to the first optional one (included), and the steps after it.
fn direct(root: TokenStream, steps: &[FieldStep]) -> (TokenStream, &[FieldStep], bool) {
    let mut expr = root;
    for (i, s) in steps.iter().enumerate() {
        let f = ident(&s.rust_name);
        expr = quote!(#expr.#f);
        if s.optional {
            return (expr, &steps[i + 1..], true);
        }
    }
    (expr, &[], false)
}

/// An `Option<&T>` expression for the value at `steps` inside `root`.
fn path_ref(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let (head, rest, optional) = direct(root, steps);
    let mut expr = if optional {
        quote!(#head.as_ref())
    } else {
        quote!(Some(&#head))
    };
    for s in rest {
        let f = ident(&s.rust_name);
        expr = if s.optional {
            quote!(#expr.and_then(|v| v.#f.as_ref()))
        } else {
            quote!(#expr.map(|v| &v.#f))
        };
    }
    expr
}

/// The list at `steps` inside `root`, moved out of it (empty when a step is absent).
fn items_move(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let (head, rest, optional) = direct(root, steps);
    if !optional {
        return head;
    }
    // A `Nullable` step is read as an `Option`.
    let option = |expr: TokenStream, s: &FieldStep| {
        if s.tri_state {
            quote!(#expr.into_option())
        } else {
            expr
        }
    };
    let mut expr = option(head, &steps[steps.len() - rest.len() - 1]);
    for s in rest {
        let f = ident(&s.rust_name);
        expr = if s.optional {
            let field = option(quote!(v.#f), s);
            quote!(#expr.and_then(|v| #field))
        } else {
            quote!(#expr.map(|v| v.#f))
        };
    }
    quote!(#expr.unwrap_or_default())
}

/// `stream()` of an operation that pages by its `Link` header: each page is fetched with its
/// headers; the query of the `rel="next"` link sets the listed parameters of the
/// request, which is sent to the client's own base URL (the link is never followed).
fn link_stream_fn(
    op: &Operation,
    p: &Pagination,
    params: &[usize],
    item: &TokenStream,
) -> TokenStream {
    let items = items_move(quote!(page.value), &p.items);
    let sets = params.iter().map(|i| {
        let param = &op.parameters[*i];
        let field = ident(&param.rust_name);
        let wire = &param.name;
        quote!(moved |= rt::set_from_link(&query, #wire, &mut next.#field);)
    });
    quote! {
        /// Every item of every page, fetching pages as the stream is read: the next page is the
        /// one the response's `Link` header announces (`rel="next"`), asked of this client's
        /// base URL with the same credentials. The stream ends after the last page, or with
        /// the first error.
        pub fn stream(self) -> rt::Items<Self, #item> {
            rt::pages_with_response(self, |request, page| {
                let following = rt::next_link_query(&page.headers).and_then(|query| {
                    let mut next = request;
                    let mut moved = false;
                    #(#sets)*
                    // A link that changes nothing would ask for the same page again.
                    moved.then_some(next)
                });
                (#items, following)
            })
        }
    }
}

pub(super) fn stream_fn(api: &Api, op: &Operation, p: &Pagination) -> TokenStream {
    let item = rust_type(api, &p.item, At::Outside);
    // Pages are bodies: an operation whose success has none has no stream.
    if !op.has_item_stream() {
        return quote!();
    }
    if let PaginationKind::Link { params } = &p.kind {
        return link_stream_fn(op, p, params, &item);
    }
    let items = items_move(quote!(page), &p.items);
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
                    .map(|cursor| request.#field(cursor));
            }
        }
        PaginationKind::Page {
            page,
            per_page,
            total,
        } => {
            let page_param = &op.parameters[*page];
            let page_field = ident(&page_param.rust_name);
            let current = option_to_i64(quote!(request.#page_field), &page_param.ty.shape);
            let next_page = from_i64(api, quote!(n), &page_param.ty.shape);
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
                    match pp.ty.default.as_ref().and_then(|d| d.as_i64()) {
                        Some(d) => {
                            let d = proc_macro2::Literal::i64_unsuffixed(d);
                            match pp.ty.shape {
                                Shape::Integer(IntFormat::I64) => {
                                    quote!(Some(request.#f.unwrap_or(#d)))
                                }
                                Shape::Integer(IntFormat::U64) => {
                                    quote!(Some(request.#f.map_or(#d, |v| v as i64)))
                                }
                                _ => quote!(Some(request.#f.map_or(#d, i64::from))),
                            }
                        }
                        None => option_to_i64(quote!(request.#f), &pp.ty.shape),
                    }
                }
                None => quote!(None),
            };
            let total = match total {
                Some(steps) => {
                    let shape = total_shape(api, &op.responses, steps);
                    match direct(quote!(page), steps) {
                        (head, [], false) => {
                            let t = to_i64(head, &shape);
                            quote!(Some(#t))
                        }
                        _ => {
                            let e = path_ref(quote!(page), steps);
                            match shape {
                                Shape::Integer(IntFormat::I64) => quote!(#e.copied()),
                                _ => {
                                    let t = to_i64(quote!(*t), &shape);
                                    quote!(#e.map(|t| #t))
                                }
                            }
                        }
                    }
                }
                None => quote!(None),
            };
            let count = match direct(quote!(page), &p.items) {
                (head, [], false) => quote!(#head.len()),
                _ => quote!(#items_ref.map_or(0, Vec::len)),
            };
            quote! {
                let size = #size;
                let total = #total;
                let current = #current;
                let count = #count;
                let next = rt::next_page(#first, current, size, count, total);
                let following = next.map(|n| request.#page_field(#next_page));
            }
        }
    };
    quote! {
        /// Every item of every page, fetching pages as the stream is read. The stream ends
        /// after the last page, or with the first error.
        pub fn stream(self) -> rt::Items<Self, #item> {
            rt::pages(self, |request, page| {
                // Everything read by reference first: the items move out of `page`.
                #next
                (#items, following)
            })
        }
    }
}

/// `.stream()` of an operation that answers a sequential media type (`c`): its items as they
/// arrive. When a boolean body property asks for the stream, `.stream()` sets it.
pub(super) fn sequence_fn(api: &Api, op: &Operation, c: &Content) -> TokenStream {
    let data = rust_type(api, &c.ty, At::Outside);
    let def = crate::emit::wire::stream_def(api, c);
    let (ret, call, what) = match c.kind {
        MediaKind::EventStream => (
            quote!(rt::Events<Self, #data>),
            quote!(rt::events(self, #def)),
            "events",
        ),
        _ => (
            quote!(rt::Records<Self, #data>),
            quote!(rt::records(self, #def)),
            "items",
        ),
    };
    let switch = op.stream_switch.as_ref().map(|s| {
        let field = ident(&s.rust_name);
        match s.holder {
            FieldHolder::Plain => quote!(self.body.#field = true;),
            FieldHolder::Option => quote!(self.body.#field = Some(true);),
            FieldHolder::Nullable => quote!(self.body.#field = rt::Nullable::Value(true);),
        }
    });
    let receiver = match &switch {
        Some(_) => quote!(mut self),
        None => quote!(self),
    };
    let mut first = format!(
        "Sends the request and yields the `{}` {what} as they arrive; the body is never held whole.",
        c.media_type
    );
    if let Some(s) = &op.stream_switch {
        first.push_str(&format!(
            " Sets the body's `{}` to `true`, which asks for them.",
            s.rust_name
        ));
    }
    let mut second = String::from(
        "An error status is one typed error, as `send()` returns it; a malformed item is an error item.",
    );
    if let Some(end) = &c.stream_end {
        second.push_str(&format!(
            " The stream ends at `{end}` or at the end of the body."
        ));
    }
    let third = (c.kind == MediaKind::EventStream && op.method == Method::Get).then_some(
        "Dropped before its end, it reconnects with `Last-Event-ID` (up to the client's retry count without a new event; a `204` stops it).",
    );
    let docs = crate::emit::doc::doc([Some(first.as_str()), Some(second.as_str()), third]);
    quote! {
        #docs
        pub fn stream(#receiver) -> #ret {
            #switch
            #call
        }
    }
}
