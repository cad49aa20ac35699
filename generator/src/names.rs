//! Rust names for everything the spec names. Nothing else in the generator invents an
//! identifier: emitters take names from the IR, and the resolver asks this module.
//!
//! Rules: keywords get a trailing `_` (`type_`, `Self_`); names that would start with a digit
//! get a prefix (`_2fa`, `V200`, `T3dSecure`); symbols that carry meaning are spelled out
//! (`+1` → `Plus1`); other non-identifier characters separate words; non-ASCII letters are
//! written as their code point (`café` → `caf_u00e9`) so that generated code stays ASCII.
//! Collisions within one scope are resolved by [`Scope`], deterministically, by order of
//! appearance.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2021 and 2024, which cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Method names the generated client defines itself; an operation never takes one of them.
/// `text` as a Rust type (`my_crate::Money`, `::chrono::NaiveTime`, `Vec<u8>`), normalized,
/// or `None` when it is not one.
pub fn rust_type_path(text: &str) -> Option<String> {
    let ty: syn::Type = syn::parse_str(text.trim()).ok()?;
    Some(quote::ToTokens::to_token_stream(&ty).to_string())
}

/// Names that generated code writes bare: the standard prelude's (`Option`, `Some`, `Vec`...)
/// and `Duration`, which generated modules import. No generated type may take them, so none
/// can shadow them (a schema named `String` becomes `String2`).
pub const PRELUDE: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Into", "From",
    "ToString", "Clone", "Default", "Send", "Sync", "Duration",
];

pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "with_base_url",
    "with_http_client",
    "with_timeout",
    "with_retry",
    "with_hook",
    "with_default_header",
    "with_user_agent",
    "client",
    "clone",
    "fmt",
    "send",
];

/// `CreateSubaccount`, for types.
pub fn type_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "T", "Type")
}

/// `Active`, `Plus1`, `V200`, for enum variants.
pub fn variant_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "V", "Empty")
}

/// `ip_pool`, `type_`, for fields, parameters and functions.
pub fn snake_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "_", "empty")
}

/// The Rust name of an operation without `operationId`: method and path, with path
/// parameters as `by_<name>`: `GET /subaccounts/{id}/summary` → `get_subaccounts_by_id_summary`.
pub fn operation_name_from_path(method: &str, path: &str) -> String {
    let mut raw = method.to_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        raw.push('_');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                raw.push_str("by_");
                raw.push_str(param);
            }
            None => raw.push_str(segment),
        }
    }
    snake_name(&raw)
}

/// The variant name of a response status: its reason phrase (`Ok`, `NotFound`), or
/// `Status418`-like names for codes without a common one.
pub fn status_variant(code: u16) -> String {
    let word = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    word.to_string()
}

/// Rewrites `raw` into space-separated words heck can case: meaningful symbols are spelled
/// out, other punctuation separates words, non-ASCII letters become `uXXXX`.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    // A sign before a number or at the very start carries meaning: GitHub's `+1`/`-1`.
    let mut at_start = true;
    while let Some(c) = chars.next() {
        let next_is_alnum = chars.peek().is_some_and(|n| n.is_ascii_alphanumeric());
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '+' => out.push_str(" plus "),
            '-' if at_start && next_is_alnum => out.push_str(" minus "),
            c if c.is_ascii() => out.push(' '),
            c if c.is_alphanumeric() => {
                out.push_str(&format!(" u{:04x} ", c as u32));
            }
            _ => out.push(' '),
        }
        at_start = false;
    }
    if out.trim().is_empty() && !raw.is_empty() {
        // Nothing but symbols (`>=`, `*`): spell each one.
        out.clear();
        for c in raw.chars() {
            out.push(' ');
            out.push_str(symbol_word(c));
        }
    }
    out
}

fn symbol_word(c: char) -> &'static str {
    match c {
        '+' => "plus",
        '-' => "minus",
        '*' => "star",
        '/' => "slash",
        '\\' => "backslash",
        '.' => "dot",
        '=' => "eq",
        '<' => "lt",
        '>' => "gt",
        '!' => "not",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        '%' => "percent",
        '&' => "and",
        '|' => "or",
        '~' => "tilde",
        '^' => "caret",
        '?' => "question",
        ':' => "colon",
        ',' => "comma",
        ';' => "semicolon",
        '_' => "underscore",
        _ => "symbol",
    }
}

fn finish(name: String, digit_prefix: &str, empty: &str) -> String {
    let name = if name.is_empty() {
        empty.to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The names of a generated server's per-operation items, from the operation's type name:
/// its parameter struct, its reply enum (`XReply`: not `XResponse`, which reads like a
/// body type of `types`) and its body enum (when it takes several media
/// types). They live in the `server` module, so they cannot clash with `types`, and their
/// suffixes are not suffixes of each other, so they cannot clash among operations.
pub fn server_items(type_name: &str) -> (String, String, String) {
    (
        format!("{type_name}Params"),
        format!("{type_name}Reply"),
        format!("{type_name}Body"),
    )
}

/// The name of the static that describes an operation to a generated server's router, from
/// its method's name (`update_customer` → `UPDATE_CUSTOMER`); never `API`, the static of the
/// API itself.
pub fn operation_static(rust_name: &str) -> String {
    let name = rust_name.trim_end_matches('_').to_ascii_uppercase();
    if name == "API" {
        "API_OPERATION".to_string()
    } else {
        name
    }
}

/// The name of a type that several places share (one shape, met at each of them): the words
/// their names all have, in order (`SubaccountCreateRequestStatus`,
/// `SubaccountUpdateRequestStatus` → `SubaccountRequestStatus`; `ListStatus`,
/// `UpdateListRequestStatus` → `ListStatus`). `None` when they share no word.
pub fn shared_name(names: &[&str]) -> Option<String> {
    let words = |n: &str| -> Vec<String> {
        n.trim_end_matches(|c: char| c.is_ascii_digit())
            .to_snake_case()
            .split('_')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut all = names.iter().map(|n| words(n));
    let first = all.next()?;
    let common = all.fold(first, |common, next| common_words(&common, &next));
    (!common.is_empty()).then(|| type_name(&common.join(" ")))
}

/// The longest run of words `a` and `b` both have in this order (not necessarily together).
fn common_words(a: &[String], b: &[String]) -> Vec<String> {
    // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lengths = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i].clone());
            i += 1;
            j += 1;
        } else if lengths[i + 1][j] >= lengths[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The struct of a set of response headers, from the headers' wire names: the words they
/// all start with (`ratelimit-limit`, `ratelimit-reset` → `RatelimitHeaders`; a lone `X-`
/// does not count), else the first header's name (`Location` → `LocationHeaders`).
pub fn header_set_name(wire_names: &[&str]) -> String {
    let words = |n: &str| -> Vec<String> {
        n.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let all: Vec<Vec<String>> = wire_names.iter().map(|n| words(n)).collect();
    let first = all.first().cloned().unwrap_or_default();
    let common = if all.len() > 1 {
        let n = (0..first.len())
            .take_while(|&i| all.iter().all(|w| w.get(i) == first.get(i)))
            .count();
        first[..n].to_vec()
    } else {
        first.clone()
    };
    // `X-` alone says nothing: then the first header names the set.
    let base = if common.concat().len() <= 1 {
        first
    } else {
        common
    };
    type_name(&format!("{} headers", base.join(" ")))
}

/// A set of names that must stay distinct (the types of a module, the fields of a struct,
/// the variants of an enum). Later names that collide get a numeric suffix.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    used: HashSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope {
            used: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Returns `name` if free, else the first free `name2`, `name3`... (`name_2` for snake
    /// case names, so that the suffix reads as a separate word), and takes it.
    pub fn claim(&mut self, name: &str) -> String {
        if self.used.insert(name.to_string()) {
            return name.to_string();
        }
        let snake = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let base = name.trim_end_matches('_');
        (2..)
            .map(|n| {
                if snake {
                    format!("{base}_{n}")
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

/// Is `s` usable as a plain Rust identifier as it is?
pub fn is_valid_ident(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
        && !KEYWORDS.contains(&s)
}

/// The hint of an array's item type, from the array's hint (`"Pet tags"` → `"Pet tag"`):
/// the last word singular when it is a plural English makes plainly (`errors`, `policies`,
/// `addresses`, `ssh_keys`), else `Item` appended (`"Pet data"` → `"Pet dataItem"`).
pub fn item_hint(hint: &str) -> String {
    let (head, last) = match hint.rfind([' ', '_']) {
        Some(i) => hint.split_at(i + 1),
        None => ("", hint),
    };
    match singular(last) {
        Some(one) => format!("{head}{one}"),
        None => format!("{hint}Item"),
    }
}

/// `word` in the singular, when it is plainly an English plural; `None` otherwise.
fn singular(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if word.len() < 4 || !word.is_ascii() || !lower.ends_with('s') {
        return None;
    }
    let cut = |n: usize| word[..word.len() - n].to_string();
    if lower.ends_with("ies") {
        return Some(format!("{}y", cut(3)));
    }
    for ending in ["sses", "shes", "ches", "xes", "zes", "uses"] {
        if lower.ends_with(ending) {
            return Some(cut(2));
        }
    }
    if lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") {
        return None;
    }
    Some(cut(1))
}

#[cfg(test)]
mod tests {

    #[test]
    fn array_items_are_named_in_the_singular_when_the_plural_is_plain() {
        assert_eq!(item_hint("ErrorResponse errors"), "ErrorResponse error");
        assert_eq!(item_hint("Account policies"), "Account policy");
        assert_eq!(item_hint("Customer addresses"), "Customer address");
        assert_eq!(item_hint("Job statuses"), "Job status");
        assert_eq!(item_hint("Box matches"), "Box match");
        assert_eq!(
            item_hint("SshKeysListResponse ssh_keys"),
            "SshKeysListResponse ssh_key"
        );
        assert_eq!(item_hint("Pet tags"), "Pet tag");
        // Not plainly plural: `Item` appended.
        assert_eq!(item_hint("Pet data"), "Pet dataItem");
        assert_eq!(item_hint("Job status"), "Job statusItem");
        assert_eq!(item_hint("Doc analysis"), "Doc analysisItem");
        assert_eq!(item_hint("Pet ids"), "Pet idsItem");
        assert_eq!(item_hint("ListPetsResponse"), "ListPetsResponseItem");
    }

    #[test]
    fn a_shared_shape_is_named_by_the_words_its_users_share() {
        let shared = |names: &[&str]| shared_name(names);
        assert_eq!(
            shared(&[
                "SubaccountCreateRequestStatus",
                "SubaccountUpdateRequestStatus"
            ])
            .as_deref(),
            Some("SubaccountRequestStatus")
        );
        assert_eq!(
            shared(&["SubaccountUpdateRequestStatus", "ListSubaccountsStatus"]).as_deref(),
            Some("Status")
        );
        assert_eq!(
            shared(&["ListStatus", "UpdateListRequestStatus"]).as_deref(),
            Some("ListStatus")
        );
        assert_eq!(
            shared(&["UserAddress", "OrderShippingAddress2"]).as_deref(),
            Some("Address")
        );
        assert_eq!(shared(&["PetTag", "Pet"]).as_deref(), Some("Pet"));
        assert_eq!(shared(&["Pet", "Owner"]), None);
        assert_eq!(item_hint("Pet énfants"), "Pet énfantsItem");
    }
    use super::*;

    #[test]
    fn header_sets_are_named_after_what_their_headers_share() {
        assert_eq!(
            header_set_name(&["ratelimit-limit", "ratelimit-remaining", "RateLimit-Reset"]),
            "RatelimitHeaders"
        );
        assert_eq!(header_set_name(&["Location"]), "LocationHeaders");
        assert_eq!(header_set_name(&["X-Total", "Link"]), "XTotalHeaders");
        assert_eq!(
            header_set_name(&["X-Rate-Limit", "X-Request-Id"]),
            "XRateLimitHeaders"
        );
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("SubaccountRequest"), "SubaccountRequest");
        assert_eq!(type_name("subaccount_request"), "SubaccountRequest");
        assert_eq!(type_name("sub-account.request"), "SubAccountRequest");
        assert_eq!(type_name("HTTPServer"), "HttpServer");
        assert_eq!(type_name("3d-secure"), "T3dSecure");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name(""), "Type");
        assert_eq!(type_name("café"), "CafU00e9");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("active"), "Active");
        assert_eq!(variant_name("created_at"), "CreatedAt");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("200"), "V200");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name(">="), "GtEq");
        assert_eq!(variant_name("*"), "Star");
        assert_eq!(variant_name("application/json"), "ApplicationJson");
        assert_eq!(
            variant_name("text/plain; charset=utf-8"),
            "TextPlainCharsetUtf8"
        );
        assert_eq!(variant_name("c++"), "CPlusPlus");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("createSubaccount"), "create_subaccount");
        assert_eq!(snake_name("ip_pool"), "ip_pool");
        assert_eq!(snake_name("X-Request-ID"), "x_request_id");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("crate"), "crate_");
        assert_eq!(snake_name("async"), "async_");
        assert_eq!(snake_name("2fa"), "_2fa");
        assert_eq!(snake_name("$count"), "count");
        assert_eq!(snake_name("filter[name]"), "filter_name");
        assert_eq!(snake_name("_"), "underscore");
        assert_eq!(snake_name(""), "empty");
        assert_eq!(snake_name("naïve"), "na_u00ef_ve");
        for s in ["type_", "_2fa", "filter_name", "na_u00ef_ve", "underscore"] {
            assert!(is_valid_ident(s), "{s}");
        }
    }

    #[test]
    fn status_variants() {
        assert_eq!(status_variant(200), "Ok");
        assert_eq!(status_variant(404), "NotFound");
        assert_eq!(status_variant(299), "Status299");
    }

    #[test]
    fn operation_names_from_paths() {
        assert_eq!(
            operation_name_from_path("GET", "/subaccounts/{id}/summary"),
            "get_subaccounts_by_id_summary"
        );
        assert_eq!(operation_name_from_path("post", "/"), "post");
        assert_eq!(
            operation_name_from_path("delete", "/v2/1-clicks/{ssh_key_id}"),
            "delete_v2_1_clicks_by_ssh_key_id"
        );
    }

    #[test]
    fn scopes_resolve_collisions_in_order() {
        let mut scope = Scope::with_reserved(CLIENT_METHODS);
        assert_eq!(scope.claim("list"), "list");
        assert_eq!(scope.claim("list"), "list_2");
        assert_eq!(scope.claim("list"), "list_3");
        assert_eq!(scope.claim("new"), "new_2");
        assert_eq!(scope.claim("type_"), "type_");
        assert_eq!(scope.claim("type_"), "type_2");
        let mut types = Scope::default();
        assert_eq!(types.claim("Pet"), "Pet");
        assert_eq!(types.claim("Pet"), "Pet2");
        assert!(types.contains("Pet2"));
    }

    #[test]
    fn keywords_are_never_plain_identifiers() {
        for k in KEYWORDS {
            let s = snake_name(k);
            assert!(is_valid_ident(&s), "{k} -> {s}");
            let t = type_name(k);
            assert!(is_valid_ident(&t), "{k} -> {t}");
        }
    }
}
