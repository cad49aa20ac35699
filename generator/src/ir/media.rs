//! Bodies in the model: a body's media types (`Content`), their kinds, and their
//! `encoding` entries, with the reading of media types every stage shares.

use serde_json::Value;

use super::{ParamStyle, TypeRef};

/// The essence of a media type, lowercase, without its parameters:
/// `Application/JSON; charset=utf-8` is `application/json`.
pub fn media_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether the media type `essence` is within `range` (`image/png`, `image/*`, `*/*`), both
/// essences.
pub fn media_in_range(essence: &str, range: &str) -> bool {
    range == essence
        || range == "*/*"
        || range
            .strip_suffix("/*")
            .is_some_and(|main| essence.starts_with(&format!("{main}/")))
}

/// A body in one media type.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// As written (`application/problem+json`).
    pub media_type: String,
    /// UpperCamelCase name of this body among its siblings: for a request body, the media
    /// kind (`Json`, `Form`); for a response, the response's variant, with the media kind
    /// appended when the response has several media types (`OkJson`, `OkText`). Unique in
    /// the request body, or in the operation's responses.
    pub variant: String,
    /// How the body is written and read.
    pub kind: MediaKind,
    /// The body's type; for binary bodies, `Bytes`.
    pub ty: TypeRef,
    /// Form and multipart request bodies: how the properties the spec's `encoding` names
    /// are written, in spec order. Properties without an entry are written as the runtime's
    /// `form` module describes.
    pub encoding: Vec<PropertyEncoding>,
    /// A sequential body ([`MediaKind::is_sequential`]): the data that ends it instead of
    /// being an item (`[DONE]` for event streams unless `x-openapi-gen-stream-end` says).
    pub stream_end: Option<String>,
    /// The media type's `example` (named `example`) and `examples` by name, in spec order
    /// (the mock answers with them).
    pub examples: Vec<(String, Value)>,
}

/// One entry of a media type's `encoding`, with OpenAPI's defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyEncoding {
    /// The property's wire name; in a body of [`MediaKind::Parts`], the part's position
    /// (`0`, `1`...: `prefixEncoding`) or `*` for every part after those (`itemEncoding`).
    pub property: String,
    /// `form`, `spaceDelimited`, `pipeDelimited` or `deepObject` (form bodies; multipart
    /// parts are always `form`).
    pub style: ParamStyle,
    /// `explode`: a list or object as repeated fields rather than one.
    pub explode: bool,
    /// `allowReserved`: reserved characters are sent without percent-encoding.
    pub allow_reserved: bool,
    /// Multipart: the part's media type, as written (may list several or ranges).
    pub content_type: Option<String>,
    /// Multipart: the part's headers, in spec order.
    pub headers: Vec<PartHeader>,
    /// JSON pointer of the entry in the document.
    pub pointer: String,
}

/// A header of a multipart part.
#[derive(Debug, Clone, PartialEq)]
pub struct PartHeader {
    /// The header's name.
    pub name: String,
    /// Whether the part must carry it.
    pub required: bool,
    /// The one value the spec allows or defaults to, which clients send.
    pub value: Option<String>,
}

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaKind {
    /// `application/json` and every `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data` (and other `multipart/*`).
    Multipart,
    /// `text/*`, XML and other textual types: a string.
    Text,
    /// Anything else: bytes.
    Binary,
    /// `text/event-stream` (Server-Sent Events), in a success response: a stream of events
    /// whose data is the content's type.
    EventStream,
    /// `application/jsonl`, `application/x-ndjson`, `application/x-jsonlines`, in a success
    /// response: a stream of JSON values of the content's type, one a line.
    JsonLines,
    /// `application/json-seq` (RFC 7464), in a success response: a stream of JSON values.
    JsonSeq,
    /// A multipart request body other than `multipart/form-data` (`multipart/mixed`...)
    /// whose type is an array: one unnamed part per item, in order (OpenAPI 3.2 "encoding by
    /// position"; `prefixEncoding`/`itemEncoding` say each part's media type and headers).
    Parts,
}

impl Content {
    /// The media type to send this content as: a range (`*/*`, `image/*`) becomes a
    /// concrete type of its kind.
    pub fn concrete_media(&self) -> String {
        if !self.media_type.contains('*') {
            return self.media_type.clone();
        }
        match self.kind {
            MediaKind::Json => "application/json",
            MediaKind::Text => "text/plain; charset=utf-8",
            MediaKind::Form => "application/x-www-form-urlencoded",
            MediaKind::Multipart => "multipart/form-data",
            _ => "application/octet-stream",
        }
        .to_string()
    }
}

impl MediaKind {
    /// A sequential media type: a body of items, read and written one by one.
    pub fn is_sequential(self) -> bool {
        matches!(
            self,
            MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq
        )
    }

    /// The kind of `media_type`. A sequential type is read as such only where the caller
    /// streams it (success responses); elsewhere, [`MediaKind::of`] reads it as text.
    pub fn of(media_type: &str) -> MediaKind {
        let essence = media_essence(media_type);
        let (main, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        if essence == "text/event-stream" {
            MediaKind::EventStream
        } else if matches!(
            essence.as_str(),
            "application/jsonl"
                | "application/x-ndjson"
                | "application/ndjson"
                | "application/x-jsonlines"
                | "application/jsonlines"
        ) {
            MediaKind::JsonLines
        } else if essence == "application/json-seq" {
            MediaKind::JsonSeq
        } else if sub == "json" || sub.ends_with("+json") {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if main == "multipart" {
            MediaKind::Multipart
        } else if main == "text"
            || sub == "xml"
            || sub.ends_with("+xml")
            || sub == "javascript"
            || sub == "yaml"
        {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}
