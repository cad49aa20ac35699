//! How the pages of an operation's results are walked (detected by `resolve::pagination`).

use super::TypeRef;

/// Auto-pagination of an operation, detected from its parameters and response (see
/// `resolve::pagination`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub kind: PaginationKind,
    /// The fields from the response body to the array of items.
    pub items: Vec<FieldStep>,
    /// The type of one item.
    pub item: TypeRef,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum PaginationKind {
    /// `page` / `per_page` numbers.
    Page {
        /// Index into the operation's parameters.
        page: usize,
        /// Index into the operation's parameters of the page size, when it has one.
        per_page: Option<usize>,
        /// The fields to the total number of items, when the response has one.
        total: Option<Vec<FieldStep>>,
    },
    /// The next page is announced by the response's `Link` header (RFC 8288,
    /// `rel="next"`): the query parameters of that link are sent again with the same request
    /// (same base URL, credentials and scope; the link itself is never followed).
    Link {
        /// Indexes into the operation's parameters: the optional query parameters a next
        /// link may set.
        params: Vec<usize>,
    },
    /// An opaque cursor, sent back as a parameter.
    Cursor {
        /// Index into the operation's parameters of the cursor.
        cursor: usize,
        /// The fields to the next cursor, or to a link whose query holds it.
        next: Vec<FieldStep>,
    },
}

/// One field access on the way to a value inside a response body.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStep {
    /// The field's Rust name.
    pub rust_name: String,
    /// The field is an `Option` (or a `Nullable`).
    pub optional: bool,
    /// The field is a `Nullable` (optional and nullable).
    pub tri_state: bool,
}
