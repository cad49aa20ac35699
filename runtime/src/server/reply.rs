//! What a handler answers: a [`Reply`] (status, headers, a body whole or streamed), made
//! by the generated code from an operation's response enum.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde_json::Value;

/// A response, built by the generated code from an operation's response enum.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// A streamed body, written chunk by chunk as it is produced, instead of `body`.
    pub stream: Option<ReplyStream>,
}

/// A reply's body as it is produced: each chunk is sent (flushed) as it comes.
pub struct ReplyStream(futures::stream::BoxStream<'static, Bytes>);

impl std::fmt::Debug for ReplyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplyStream")
    }
}

/// The items an implementation streams for a response of a sequential media type
/// (Server-Sent Events, JSON Lines, JSON sequences): any `Stream` of them, boxed.
pub struct ItemStream<T>(futures::stream::BoxStream<'static, T>);

impl<T> ItemStream<T> {
    /// The items of `stream`, in order, each written as soon as it is produced.
    pub fn new(stream: impl futures::Stream<Item = T> + Send + 'static) -> Self {
        ItemStream(Box::pin(stream))
    }

    /// Items known up front.
    pub fn iter(items: impl IntoIterator<Item = T>) -> Self
    where
        T: Send + 'static,
        <Vec<T> as IntoIterator>::IntoIter: Send,
    {
        Self::new(futures::stream::iter(items.into_iter().collect::<Vec<T>>()))
    }
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemStream")
    }
}

/// How often an idle event stream gets a keep-alive comment.
pub const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(15);

impl Reply {
    /// A response without a body.
    pub fn empty(status: u16) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            stream: None,
        }
    }

    /// A response with a body and its content type.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        let mut reply = Reply::empty(status);
        let value = match content_type {
            "application/json" => Ok(HeaderValue::from_static("application/json")),
            other => HeaderValue::from_str(other),
        };
        if let Ok(v) = value {
            reply.headers.insert(http::header::CONTENT_TYPE, v);
        }
        reply.body = body.into();
        reply
    }

    /// A streamed body of a sequential media type (`def`): each item is written as the
    /// implementation produces it (an SSE event, or a line or record of JSON) and flushed;
    /// an event stream idle for [`KEEP_ALIVE`] gets a comment, so that proxies keep it open.
    pub fn sequence<T: Serialize + Send + 'static>(
        status: u16,
        def: &'static crate::sequence::StreamDef,
        items: ItemStream<crate::sequence::Event<T>>,
    ) -> Reply {
        use futures::StreamExt;
        let mut reply = Reply::bytes(status, def.media_type, Bytes::new());
        // Not cached, not buffered by proxies.
        reply.headers.insert(
            http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        );
        // The spec's end marker (`[DONE]`) follows the last item.
        let end = def.end.map(|data| {
            Bytes::from(match def.format {
                crate::sequence::StreamFormat::EventStream => format!("data: {data}\n\n"),
                crate::sequence::StreamFormat::JsonLines => format!("{data}\n"),
                crate::sequence::StreamFormat::JsonSeq => format!("\u{1e}{data}\n"),
            })
        });
        let encoded = items
            .0
            .map(move |item| Bytes::from(crate::sequence::encode(def, &item)))
            .chain(futures::stream::iter(end));
        let body: futures::stream::BoxStream<'static, Bytes> =
            if def.format == crate::sequence::StreamFormat::EventStream {
                Box::pin(keep_alive(encoded, KEEP_ALIVE))
            } else {
                Box::pin(encoded)
            };
        reply.stream = Some(ReplyStream(body));
        reply
    }

    /// [`sequence`](Self::sequence) for JSON Lines and sequences: items without event fields.
    pub fn records<T: Serialize + Send + 'static>(
        status: u16,
        def: &'static crate::sequence::StreamDef,
        items: ItemStream<T>,
    ) -> Reply {
        use futures::StreamExt;
        Reply::sequence(
            status,
            def,
            ItemStream(Box::pin(items.0.map(crate::sequence::Event::new))),
        )
    }

    /// An `application/json` body.
    pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> Reply {
        Reply::json_as(status, "application/json", body)
    }

    /// A JSON body of another JSON media type (`application/problem+json`).
    pub fn json_as<T: Serialize + ?Sized>(status: u16, content_type: &str, body: &T) -> Reply {
        // Room up front for what most replies take (a short list of small objects), which
        // costs no more to allocate than less and saves growing the buffer as it is written.
        let mut bytes = Vec::with_capacity(1024);
        match serde_json::to_writer(&mut bytes, body).map(|()| bytes) {
            Ok(bytes) => Reply::bytes(status, content_type, bytes),
            Err(e) => Reply::bytes(
                500,
                "text/plain; charset=utf-8",
                format!("the response body cannot be encoded as JSON: {e}"),
            ),
        }
    }

    /// A form-encoded body.
    pub fn form<T: Serialize + ?Sized>(status: u16, content_type: &str, body: &T) -> Reply {
        Reply::bytes(status, content_type, crate::form::encode(body, &[]))
    }

    /// A `multipart/form-data` body: one part per field of `body` (an object); text for
    /// strings, numbers and booleans, JSON for lists and objects; absent and `null` fields
    /// are left out. The boundary is chosen so that no part contains it.
    pub fn multipart<T: Serialize + ?Sized>(status: u16, content_type: &str, body: &T) -> Reply {
        let fields = match serde_json::to_value(body) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) | Err(_) => {
                return Reply::bytes(
                    500,
                    "text/plain; charset=utf-8",
                    "the response body cannot be encoded as multipart: it is not an object",
                )
            }
        };
        let parts: Vec<(String, &'static str, Vec<u8>)> = fields
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(name, v)| match v {
                Value::String(s) => (name, "text/plain; charset=utf-8", s.into_bytes()),
                Value::Number(_) | Value::Bool(_) => (
                    name,
                    "text/plain; charset=utf-8",
                    v.to_string().into_bytes(),
                ),
                other => (name, "application/json", other.to_string().into_bytes()),
            })
            .collect();
        let mut n = 0u32;
        let boundary = loop {
            let b = format!("openapi-gen-boundary-{n}");
            let needle = b.as_bytes();
            if !parts
                .iter()
                .any(|(_, _, data)| data.windows(needle.len()).any(|w| w == needle))
            {
                break b;
            }
            n += 1;
        };
        let mut out = Vec::new();
        for (name, media, data) in &parts {
            let name = name.replace(['"', '\r', '\n'], "_");
            out.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\nContent-Type: {media}\r\n\r\n"
                )
                .as_bytes(),
            );
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or(content_type)
            .trim();
        Reply::bytes(status, &format!("{essence}; boundary={boundary}"), out)
    }

    /// The status of a `default` or range (`4XX`) response.
    pub fn with_status(mut self, status: StatusCode) -> Reply {
        self.status = status;
        self
    }

    /// Adds a declared response header; `None` (an absent optional header) adds nothing.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Reply {
        let text = match serde_json::to_value(value) {
            Ok(Value::Null) | Err(_) => return self,
            Ok(Value::Array(items)) => items
                .iter()
                .filter_map(crate::params::part_text)
                .collect::<Vec<_>>()
                .join(","),
            Ok(v) => crate::params::part_text(&v).unwrap_or_default(),
        };
        if let (Ok(name), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&text),
        ) {
            self.headers.append(name, v);
        }
        self
    }

    /// Adds a response's declared headers.
    pub fn headers(self, headers: impl ResponseHeaders) -> Reply {
        headers.write(self)
    }
}

/// The declared headers of responses (a struct generated per distinct set of headers).
pub trait ResponseHeaders: Sized {
    /// Adds each header that has a value to `reply`.
    fn write(self, reply: Reply) -> Reply;

    /// An `application/json` reply carrying these headers.
    fn json<T: Serialize + ?Sized>(self, status: u16, body: &T) -> Reply {
        self.write(Reply::json(status, body))
    }

    /// A reply without a body, carrying these headers.
    fn empty(self, status: u16) -> Reply {
        self.write(Reply::empty(status))
    }
}

/// `items`, with a comment chunk (`: keep-alive`) whenever none comes for `every`.
fn keep_alive(
    items: impl futures::Stream<Item = Bytes> + Send + 'static,
    every: std::time::Duration,
) -> impl futures::Stream<Item = Bytes> + Send + 'static {
    use futures::StreamExt;
    futures::stream::unfold(Box::pin(items), move |mut items| async move {
        match tokio::time::timeout(every, items.next()).await {
            Ok(Some(chunk)) => Some((chunk, items)),
            Ok(None) => None,
            Err(_) => Some((Bytes::from_static(b": keep-alive\n\n"), items)),
        }
    })
}

impl axum::response::IntoResponse for Reply {
    fn into_response(self) -> axum::response::Response {
        let body = match self.stream {
            Some(ReplyStream(stream)) => {
                use futures::StreamExt;
                axum::body::Body::from_stream(stream.map(Ok::<_, std::convert::Infallible>))
            }
            None => axum::body::Body::from(self.body),
        };
        let mut response = axum::response::Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
    }
}
