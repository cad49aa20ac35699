//! The statics a generated server module describes its API with: [`ApiDef`], one
//! [`OperationDef`] per operation, its parameters ([`ParamDef`]) and bodies ([`BodyDef`]).

#[cfg(doc)]
use super::Problem;
use crate::auth::Scheme;
use crate::params::Style;

/// An API, as a generated server module describes it.
#[derive(Debug)]
pub struct ApiDef {
    pub title: &'static str,
    /// JSON: an object with a JSON Schema (2020-12) per named type, referenced from the
    /// operations' schemas as `#/$defs/Name`.
    pub defs: &'static str,
    pub schemes: &'static [Scheme],
    /// The error-body template (see [`Problem`]) for requests that match no operation.
    pub fallback_error: &'static str,
}

/// An operation, as a generated server module describes it.
#[derive(Debug)]
pub struct OperationDef {
    /// The `operationId` (or the generated name).
    pub id: &'static str,
    pub method: &'static str,
    /// The path template (`/subaccounts/{id}`).
    pub path: &'static str,
    pub params: &'static [ParamDef],
    /// JSON Schema of an object with one property per parameter, keyed by its Rust name.
    pub params_schema: &'static str,
    /// The request body in each accepted media type; empty: the operation takes no body.
    pub bodies: &'static [BodyDef],
    pub body_required: bool,
    /// Any one of these requirements must be met; each names security schemes that must all
    /// be present. Empty: no authentication.
    pub security: &'static [&'static [&'static str]],
    /// The error-body template for requests the router rejects; empty: the API's
    /// fallback ([`ApiDef::fallback_error`]).
    pub error: &'static str,
}

impl OperationDef {
    /// What most operations have: no parameters, no body, no security, the API's error
    /// template. Generated definitions set the rest (`..OperationDef::DEFAULT`).
    pub const DEFAULT: OperationDef = OperationDef {
        id: "",
        method: "GET",
        path: "/",
        params: &[],
        params_schema: "{}",
        bodies: &[],
        body_required: false,
        security: &[],
        error: "",
    };
}

/// Where a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    /// The whole query string, percent-decoded (OpenAPI 3.2 `in: querystring`).
    QueryString,
    Header,
    Cookie,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::QueryString => "querystring",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// A parameter of an operation.
#[derive(Debug)]
pub struct ParamDef {
    /// The wire name.
    pub name: &'static str,
    /// The field of the operation's parameter struct.
    pub rust_name: &'static str,
    pub location: Location,
    pub required: bool,
    pub style: Style,
    pub explode: bool,
    /// How to read the text of the parameter as a JSON value.
    pub kind: Kind,
    /// The spec's `default`, as JSON, used when the parameter is absent.
    pub default: Option<&'static str>,
}

impl ParamDef {
    /// A parameter at `location`, optional, read into the field of its own name, in the
    /// location's default style (`form`, exploded, for query and cookie; `simple` for path
    /// and header).
    const fn at(location: Location, name: &'static str, kind: Kind) -> ParamDef {
        let (style, explode) = match location {
            Location::Query | Location::QueryString | Location::Cookie => (Style::Form, true),
            Location::Path | Location::Header => (Style::Simple, false),
        };
        ParamDef {
            name,
            rust_name: name,
            location,
            required: false,
            style,
            explode,
            kind,
            default: None,
        }
    }

    /// A path parameter (always required).
    pub const fn path(name: &'static str, kind: Kind) -> ParamDef {
        ParamDef::at(Location::Path, name, kind).required()
    }

    /// A query parameter.
    pub const fn query(name: &'static str, kind: Kind) -> ParamDef {
        ParamDef::at(Location::Query, name, kind)
    }

    /// The whole query string as one value (OpenAPI 3.2 `in: querystring`).
    pub const fn querystring(name: &'static str, kind: Kind) -> ParamDef {
        ParamDef::at(Location::QueryString, name, kind)
    }

    /// A header parameter.
    pub const fn header(name: &'static str, kind: Kind) -> ParamDef {
        ParamDef::at(Location::Header, name, kind)
    }

    /// A cookie parameter.
    pub const fn cookie(name: &'static str, kind: Kind) -> ParamDef {
        ParamDef::at(Location::Cookie, name, kind)
    }

    /// Read into the field `rust_name` of the operation's parameter struct.
    pub const fn field(mut self, rust_name: &'static str) -> ParamDef {
        self.rust_name = rust_name;
        self
    }

    /// A required parameter.
    pub const fn required(mut self) -> ParamDef {
        self.required = true;
        self
    }

    /// Written in `style`.
    pub const fn style(mut self, style: Style, explode: bool) -> ParamDef {
        self.style = style;
        self.explode = explode;
        self
    }

    /// With the spec's `default` (JSON), used when the parameter is absent.
    pub const fn default(mut self, json: &'static str) -> ParamDef {
        self.default = Some(json);
        self
    }
}

/// How text from a URL, header or form is read as a JSON value before validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    /// JSON if it parses, else a string.
    Any,
    Array(&'static Kind),
    /// An object with these properties (others are read as strings).
    Object(&'static [(&'static str, Kind)]),
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Json,
    Form,
    Multipart,
    /// A multipart body of unnamed parts, one per item of an array, in order
    /// (`multipart/mixed`); its `encoding` entries are named by position (`0`, `1`... and
    /// `*` for the rest: see [`crate::form::by_position`]).
    Parts,
    Text,
    Binary,
}

/// A request body in one media type.
#[derive(Debug)]
pub struct BodyDef {
    /// As the spec writes it; may be a range (`image/*`).
    pub media_type: &'static str,
    pub kind: MediaKind,
    /// The JSON Schema of the decoded body (JSON, form and multipart bodies).
    pub schema: &'static str,
    /// How form and multipart properties are written (the spec's `encoding`): properties
    /// without an entry are read as [`crate::form`] describes.
    pub encoding: &'static [crate::form::Encoding],
}

impl BodyDef {
    /// A body of `media_type`, read as `kind` and validated against `schema`.
    pub const fn new(media_type: &'static str, kind: MediaKind, schema: &'static str) -> BodyDef {
        BodyDef {
            media_type,
            kind,
            schema,
            encoding: &[],
        }
    }

    /// The spec's `encoding` of a form or multipart body.
    pub const fn encoding(mut self, encoding: &'static [crate::form::Encoding]) -> BodyDef {
        self.encoding = encoding;
        self
    }
}
