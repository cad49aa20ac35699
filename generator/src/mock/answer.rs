//! The answer to one valid request: which documented response, in which media type, with
//! which body and headers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use openapi_gen_runtime::params;
use openapi_gen_runtime::server::{self, Input, ItemStream, Reply};
use openapi_gen_runtime::{Bytes, Event, StreamDef, StreamFormat};
use serde_json::Value;

use super::state::{self, Effect, Role, Store};
use super::synth::{Direction, Synth};
use super::MockOptions;
use super::{pages, typed};
use crate::ir::*;

/// How many items a streamed answer has.
const STREAM_ITEMS: usize = 3;

/// What a request asks of the mock in its `Prefer` headers (as Prism reads them).
#[derive(Debug, Default, PartialEq)]
struct Prefer {
    code: Option<u16>,
    example: Option<String>,
    dynamic: bool,
}

impl Prefer {
    fn of(headers: &http::HeaderMap) -> Prefer {
        let mut prefer = Prefer::default();
        let preferences = headers
            .get_all("prefer")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split([',', ';']));
        for preference in preferences {
            let (name, value) = preference.split_once('=').unwrap_or((preference, ""));
            let value = value.trim().trim_matches('"');
            match name.trim().to_ascii_lowercase().as_str() {
                "code" => prefer.code = value.parse().ok(),
                "example" => prefer.example = Some(value.to_string()),
                "dynamic" => prefer.dynamic = value.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        prefer
    }
}

/// Answers the requests of one operation.
pub(super) struct Answer {
    api: Arc<Api>,
    index: usize,
    options: MockOptions,
    /// What the operation is to a resource, and the resources kept (`--stateful`).
    role: Role,
    store: Arc<Store>,
    /// Requests answered dynamically so far: each draws from a seed of its own.
    drawn: AtomicU64,
    /// How each sequential response body of the operation is written, by media type: made
    /// (and leaked, to be `'static` as the runtime wants) once, not once per request.
    streams: Vec<(String, &'static StreamDef)>,
}

impl Answer {
    pub(super) fn new(
        api: Arc<Api>,
        index: usize,
        options: MockOptions,
        role: Role,
        store: Arc<Store>,
    ) -> Answer {
        let streams = api.operations[index]
            .responses
            .iter()
            .flat_map(|r| &r.contents)
            .filter(|c| c.kind.is_sequential())
            .map(|c| (c.media_type.clone(), stream_def(&api, c)))
            .collect();
        Answer {
            api,
            index,
            options,
            role,
            store,
            drawn: AtomicU64::new(0),
            streams,
        }
    }

    fn op(&self) -> &Operation {
        &self.api.operations[self.index]
    }

    /// The reply to a request that passed validation.
    pub(super) fn reply(&self, mut input: Input) -> server::Result<Reply> {
        let (params, body) = self.typed_read(&mut input)?;
        let headers = &input.request.headers;
        let prefer = Prefer::of(headers);
        let op = self.op();
        // An event stream is served once: a client that reconnects after its items (with
        // `Last-Event-ID`) is told there are no more, as SSE says, with a 204.
        if headers.contains_key("last-event-id")
            && op
                .sequential_success()
                .is_some_and(|c| c.kind == MediaKind::EventStream)
        {
            return Ok(Reply::empty(204));
        }
        let path = input.request.uri.path().trim_end_matches('/').to_string();
        // With state, and unless a status is asked for: what the request does to it.
        let effect = (self.options.stateful && prefer.code.is_none())
            .then(|| {
                self.store
                    .effect(&self.role, op.method, &path, body.as_ref())
            })
            .flatten();
        let code = match effect {
            Some(Effect::Missing) => {
                if choose(op, Some(404)).is_none() {
                    return Err(server::Error::not_found(format!("nothing at {path}")));
                }
                Some(404)
            }
            _ => prefer.code,
        };
        let Some((response, status)) = choose(op, code) else {
            let asked = prefer
                .code
                .map_or("a success".to_string(), |c| format!("status {c}"));
            return Err(server::Error::new(
                500,
                format!(
                    "the spec documents no response with {asked} for {}",
                    op.operation_id.as_deref().unwrap_or(&op.rust_name)
                ),
            ));
        };
        let seed = if prefer.dynamic {
            let n = self.drawn.fetch_add(1, Ordering::Relaxed) + 1;
            self.options.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        } else {
            self.options.seed ^ (self.index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let mut synth = Synth::new(&self.api, seed, prefer.dynamic, Direction::Response);
        let accept = headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok());
        let mut reply = match pick_content(&response.contents, accept) {
            None => Reply::empty(status),
            Some(content) => {
                let value = match &prefer.example {
                    Some(name) => match content.examples.iter().find(|(n, _)| n == name) {
                        Some((_, v)) => v.clone(),
                        None => {
                            return Err(server::Error::new(
                                500,
                                format!(
                                    "the {status} response in {} has no example named `{name}`",
                                    content.media_type
                                ),
                            ))
                        }
                    },
                    // The first example the types read: published specs ship examples their
                    // own schemas refuse, which no client generated from them reads.
                    None => match content.examples.iter().find(|(_, v)| {
                        content.kind != MediaKind::Json || self.api.reads(&content.ty, v).is_ok()
                    }) {
                        Some((_, v)) if !prefer.dynamic && !content.kind.is_sequential() => {
                            v.clone()
                        }
                        _ => synth.value(&content.ty),
                    },
                };
                let mut value = value;
                let success = (200..300).contains(&status);
                let mut pages = pages::PAGES;
                let id_name = match &self.role {
                    Role::Collection { id } | Role::Item { id } => id.as_str(),
                    Role::None => "id",
                };
                match effect {
                    Some(Effect::Create) if success => {
                        self.store.create(id_name, &path, body.as_ref(), &mut value)
                    }
                    Some(Effect::Show(resource)) if success => {
                        state::show(&mut value, id_name, resource)
                    }
                    Some(Effect::List(resources)) if success => {
                        state::list(&mut value, resources);
                        // Every resource on the one page.
                        pages = 1;
                    }
                    _ => {}
                }
                let mut page_headers = http::HeaderMap::new();
                if success && content.kind == MediaKind::Json {
                    pages::paginate(
                        pages,
                        &self.api,
                        op,
                        &params,
                        input.request.uri.path(),
                        &content.ty,
                        &mut value,
                        &mut page_headers,
                    );
                }
                let mut reply = self.body(content, status, value, &mut synth);
                reply.headers.extend(page_headers);
                reply
            }
        };
        for h in &response.headers {
            if !h.required && prefer.dynamic && synth.coin() {
                continue;
            }
            // The body's own headers are the body's (GitHub declares `Content-Length: "279"`):
            // a made-up one would break the message.
            if FRAMING.iter().any(|f| h.name.eq_ignore_ascii_case(f)) {
                continue;
            }
            let value = synth.value(&h.ty);
            let text = match &value {
                Value::Array(_) | Value::Object(_) => params::header(&value, false),
                other => params::part_text(other),
            };
            if let (Ok(name), Some(Ok(value))) = (
                http::HeaderName::from_bytes(h.name.as_bytes()),
                text.map(|t| http::HeaderValue::from_str(&t)),
            ) {
                reply.headers.append(name, value);
            }
        }
        Ok(reply)
    }

    /// Refuses, as a generated server's typed read would, what its types cannot hold.
    /// Returns the parameters, by Rust name, and a structured body.
    fn typed_read(
        &self,
        input: &mut Input,
    ) -> server::Result<(serde_json::Map<String, Value>, Option<Value>)> {
        let op = self.op();
        let refuse = |location, (field, why): (String, String)| {
            Err(server::Problem::new(location, field, why).into())
        };
        let params: serde_json::Map<String, Value> = input.params()?;
        for p in &op.parameters {
            if let Some(v) = params.get(&p.rust_name) {
                if let Some((_, why)) = typed::refusal(&self.api, &p.ty, v) {
                    return refuse("parameters", (p.name.clone(), why));
                }
            }
        }
        let content = input
            .media()
            .and_then(|i| op.request_body.as_ref()?.contents.get(i));
        if let Some(content) = content.filter(|c| {
            matches!(
                c.kind,
                MediaKind::Json | MediaKind::Form | MediaKind::Multipart | MediaKind::Parts
            )
        }) {
            let body: Value = input.body()?;
            if let Some(refusal) = typed::refusal(&self.api, &content.ty, &body) {
                return refuse("body", refusal);
            }
            return Ok((params, Some(body)));
        }
        Ok((params, None))
    }

    /// The body of `content` holding `value` (a stream's first item, for a stream).
    fn body(&self, content: &Content, status: u16, value: Value, synth: &mut Synth) -> Reply {
        let media = content.concrete_media();
        match content.kind {
            MediaKind::Json => Reply::json_as(status, &media, &value),
            MediaKind::Form => Reply::form(status, &media, &value),
            MediaKind::Multipart => {
                // A file part is bytes, as a generated server's `Vec<u8>` writes them.
                let mut value = value;
                let fields = match &self.api.unalias(&content.ty).shape {
                    Shape::Named(id) => match &self.api.type_def(*id).kind {
                        TypeKind::Struct(s) => Some(s),
                        _ => None,
                    },
                    _ => None,
                };
                if let (Some(s), Value::Object(map)) = (fields, &mut value) {
                    for f in &s.fields {
                        let binary = matches!(
                            self.api.unalias(&f.ty).shape,
                            Shape::String(StringFormat::Binary) | Shape::Bytes
                        );
                        if let (true, Some(Value::String(text))) = (binary, map.get(&f.name)) {
                            let bytes: Vec<Value> = text.bytes().map(Value::from).collect();
                            map.insert(f.name.clone(), Value::Array(bytes));
                        }
                    }
                }
                Reply::multipart(status, &media, &value)
            }
            MediaKind::Parts => Reply::multipart(status, &media, &value),
            MediaKind::Text => {
                let text = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                Reply::bytes(status, &media, text)
            }
            MediaKind::Binary => {
                Reply::bytes(status, &media, Bytes::from_static(b"openapi-gen mock"))
            }
            MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq => {
                let mut items = vec![value];
                items.extend((1..STREAM_ITEMS).map(|_| synth.value(&content.ty)));
                let def = self
                    .streams
                    .iter()
                    .find(|(m, _)| *m == content.media_type)
                    .map_or_else(|| stream_def(&self.api, content), |(_, def)| *def);
                if content.kind == MediaKind::EventStream {
                    // Numbered, so that a client that reconnects says where it was (and is
                    // told there is no more).
                    let events = items.into_iter().enumerate().map(|(i, data)| Event {
                        id: Some((i + 1).to_string()),
                        ..Event::new(data)
                    });
                    return Reply::sequence(status, def, ItemStream::iter(events));
                }
                Reply::records(status, def, ItemStream::iter(items))
            }
        }
    }
}

/// How `content`, a sequential body, is written; leaked: it lives as long as the mock.
fn stream_def(api: &Api, content: &Content) -> &'static StreamDef {
    Box::leak(Box::new(StreamDef {
        format: match content.kind {
            MediaKind::EventStream => StreamFormat::EventStream,
            MediaKind::JsonSeq => StreamFormat::JsonSeq,
            _ => StreamFormat::JsonLines,
        },
        media_type: Box::leak(content.concrete_media().into_boxed_str()),
        end: content
            .stream_end
            .as_deref()
            .map(|e| &*Box::leak(e.to_string().into_boxed_str())),
        text: matches!(api.unalias(&content.ty).shape, Shape::String(_)),
    }))
}

/// Headers that say how the message itself is framed and typed: the server writes them
/// from the body, whatever the spec declares.
const FRAMING: [&str; 8] = [
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
];

/// The response to answer with, and its status: the one asked for (its code, else its
/// range, else `default`), or the lowest documented success (else `default` as 200, else
/// the first documented).
fn choose(op: &Operation, code: Option<u16>) -> Option<(&Response, u16)> {
    let find = |s: &StatusCode| op.responses.iter().find(|r| &r.status == s);
    match code {
        Some(code) => find(&StatusCode::Code(code))
            .or_else(|| find(&StatusCode::Range((code / 100) as u8)))
            .or_else(|| find(&StatusCode::Default))
            .map(|r| (r, code)),
        None => {
            let success = op
                .responses
                .iter()
                .filter_map(|r| match r.status {
                    StatusCode::Code(c) if (200..300).contains(&c) => Some((r, c)),
                    StatusCode::Range(2) => Some((r, 200)),
                    _ => None,
                })
                .min_by_key(|(_, c)| *c);
            success
                .or_else(|| find(&StatusCode::Default).map(|r| (r, 200)))
                .or_else(|| {
                    op.responses.first().map(|r| {
                        let status = match r.status {
                            StatusCode::Code(c) => c,
                            StatusCode::Range(n) => u16::from(n) * 100,
                            StatusCode::Default => 200,
                        };
                        (r, status)
                    })
                })
        }
    }
}

/// The media type to answer in: the first the `Accept` header takes, else the first JSON
/// one, else the first.
fn pick_content<'r>(contents: &'r [Content], accept: Option<&str>) -> Option<&'r Content> {
    if let Some(accept) = accept {
        for range in accept.split(',').map(media_essence) {
            let found = contents
                .iter()
                .find(|c| media_in_range(&media_essence(&c.media_type), &range));
            if found.is_some() {
                return found;
            }
        }
    }
    contents
        .iter()
        .find(|c| c.kind == MediaKind::Json)
        .or(contents.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefer_headers_are_read_as_prism_reads_them() {
        let mut headers = http::HeaderMap::new();
        headers.append("prefer", "code=404, example=missing".parse().unwrap());
        headers.append("Prefer", "dynamic=true".parse().unwrap());
        assert_eq!(
            Prefer::of(&headers),
            Prefer {
                code: Some(404),
                example: Some("missing".into()),
                dynamic: true
            }
        );
        assert_eq!(Prefer::of(&http::HeaderMap::new()), Prefer::default());
    }
}
