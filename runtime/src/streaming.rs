//! A streamed response read by the client item by item, as it arrives: what a generated
//! builder's `.stream()` returns for an operation that answers Server-Sent Events, JSON Lines
//! or a JSON text sequence. The body is never held whole.

use std::collections::VecDeque;
use std::time::Duration;

use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::client::{ClientCore, Received, RequestSpec};
use crate::error::Error;
use crate::operation::{Builder, Operation};
use crate::raw::RawResponse;
use crate::sequence::{self, Decoded, Event, Splitter, StreamDef, StreamFormat};

/// The events of a Server-Sent Events response, as `.stream()` returns them.
pub type Events<O, T> = crate::boxed::BoxStream<Result<Event<T>, Error<<O as Builder>::ErrorBody>>>;

/// The items of a JSON Lines or JSON sequence response, as `.stream()` returns them.
pub type Records<O, T> = crate::boxed::BoxStream<Result<T, Error<<O as Builder>::ErrorBody>>>;

/// How long a dropped event stream waits before it reconnects, unless the server said
/// (`retry:`).
pub const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Sends `op` and yields its events as they arrive. An error status (or a failure before
/// the first byte) is one typed error, as `send()` returns it, and the end. A malformed item
/// is an error item, and the stream goes on. The stream ends at the end of the body or at
/// `def.end`; a GET event stream that the server drops before its end reconnects with
/// `Last-Event-ID`, up to the client's retry count without a new event in between (an
/// answer of 204 stops it).
pub fn events<O, T>(op: O, def: &'static StreamDef) -> Events<O, T>
where
    O: Operation,
    T: DeserializeOwned + Send + 'static,
{
    let state = State::<O, T> {
        core: op.core().clone(),
        spec: crate::operation::build(&op),
        def,
        response: None,
        splitter: Splitter::new(def.format),
        ready: VecDeque::new(),
        reconnects: 0,
        done: false,
        connected: false,
        marker: std::marker::PhantomData,
    };
    Box::pin(futures::stream::unfold(state, State::next))
}

/// [`events`] for formats whose items are values alone (JSON Lines, JSON sequences).
pub fn records<O, T>(op: O, def: &'static StreamDef) -> Records<O, T>
where
    O: Operation,
    T: DeserializeOwned + Send + 'static,
{
    Box::pin(events::<O, T>(op, def).map(|r| r.map(|e| e.data)))
}

struct State<O: Operation, T> {
    core: ClientCore,
    /// The request, or why it could not be built (yielded first).
    spec: Result<RequestSpec, Error<O::ErrorBody>>,
    def: &'static StreamDef,
    response: Option<(reqwest::Response, Option<String>)>,
    splitter: Splitter,
    ready: VecDeque<Result<Event<T>, Error<O::ErrorBody>>>,
    /// Reconnections since the last item.
    reconnects: u32,
    done: bool,
    connected: bool,
    marker: std::marker::PhantomData<fn() -> O>,
}

type Step<O, T> = Option<(
    Result<Event<T>, Error<<O as Builder>::ErrorBody>>,
    State<O, T>,
)>;

impl<O: Operation, T: DeserializeOwned + Send + 'static> State<O, T> {
    async fn next(mut self) -> Step<O, T> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some((item, self));
            }
            if self.done {
                return None;
            }
            let Some((response, content_type)) = self.response.as_mut() else {
                if let Err(e) = self.connect().await {
                    self.done = true;
                    return e.map(|e| (Err(e), self));
                }
                continue;
            };
            match response.chunk().await {
                Ok(Some(bytes)) => {
                    let frames = self.splitter.push(&bytes);
                    let (status, content_type) = (response.status(), content_type.clone());
                    self.take(frames, status, content_type);
                }
                Ok(None) => {
                    let status = response.status();
                    let content_type = content_type.clone();
                    let last = self.splitter.finish();
                    self.take(last.into_iter().collect(), status, content_type);
                    self.response = None;
                    if !self.done && !self.reconnect().await {
                        self.done = true;
                    }
                }
                Err(e) => {
                    self.response = None;
                    if !self.reconnect().await {
                        let operation = self.operation();
                        self.ready
                            .push_back(Err(crate::client::classify(operation, e)));
                        self.done = true;
                    }
                }
            }
        }
    }

    fn operation(&self) -> &'static str {
        match &self.spec {
            Ok(spec) => spec.operation,
            Err(_) => "",
        }
    }

    /// Decodes frames into items, up to the end marker.
    fn take(
        &mut self,
        frames: Vec<sequence::Frame>,
        status: http::StatusCode,
        content_type: Option<String>,
    ) {
        for frame in frames {
            match sequence::decode::<T>(self.def, frame) {
                Decoded::Item(event) => {
                    self.reconnects = 0;
                    self.ready.push_back(Ok(event));
                }
                Decoded::End => {
                    self.done = true;
                    self.response = None;
                    return;
                }
                Decoded::Malformed(message) => self.ready.push_back(Err(Error::Decode {
                    operation: self.operation(),
                    status,
                    content_type: content_type.clone(),
                    message,
                })),
            }
        }
    }

    /// Whether to connect again after the body ended or broke: GET event streams only, a
    /// bounded number of times without a new event, after the server's `retry` delay.
    async fn reconnect(&mut self) -> bool {
        let get = matches!(&self.spec, Ok(s) if s.method == http::Method::GET);
        if !get
            || self.def.format != StreamFormat::EventStream
            || self.reconnects >= self.core.retry_policy().max_retries
        {
            return false;
        }
        self.reconnects += 1;
        tokio::time::sleep(self.splitter.retry().unwrap_or(RECONNECT_DELAY)).await;
        true
    }

    /// Sends the request (again, with `Last-Event-ID`, after a drop). `Err(None)`: the
    /// stream ends quietly (204 on a reconnection).
    async fn connect(&mut self) -> Result<(), Option<Error<O::ErrorBody>>> {
        let spec = match &mut self.spec {
            Ok(spec) => spec,
            Err(_) => {
                let placeholder = Err(Error::InvalidRequest {
                    operation: "",
                    message: String::new(),
                });
                return Err(std::mem::replace(&mut self.spec, placeholder).err());
            }
        };
        let mut spec = spec.clone();
        if !spec
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
        {
            spec.headers
                .push(("Accept", self.def.media_type.to_string()));
        }
        if let Some(id) = self.splitter.last_id() {
            spec.headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("last-event-id"));
            spec.headers.push(("Last-Event-ID", id.to_string()));
        }
        let reconnecting = self.connected;
        self.connected = true;
        match self.core.execute_streaming::<O::ErrorBody>(&spec).await {
            Err(e) => Err(Some(e)),
            Ok(Received::Read(raw))
                if reconnecting && raw.status == http::StatusCode::NO_CONTENT =>
            {
                Err(None)
            }
            Ok(Received::Read(raw)) => Err(Some(not_a_stream::<O>(raw, self.def))),
            // No content: nothing (more) to stream (the SSE standard's way to stop a client).
            Ok(Received::Open(response)) if response.status() == http::StatusCode::NO_CONTENT => {
                Err(None)
            }
            Ok(Received::Open(response)) => {
                let content_type = response
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let matches = content_type.as_deref().is_some_and(|ct| {
                    crate::media::media_essence(ct)
                        == crate::media::media_essence(self.def.media_type)
                });
                if !matches {
                    let raw = self.core.read_whole(spec.operation, response).await?;
                    return Err(Some(unexpected(raw, self.def)));
                }
                self.splitter = self.splitter.resumed();
                self.response = Some((response, content_type));
                Ok(())
            }
        }
    }
}

/// The error of a response that is not the stream: a documented error as `send()` types
/// it, else a decode error that says what came instead.
fn not_a_stream<O: Operation>(raw: RawResponse, def: &StreamDef) -> Error<O::ErrorBody> {
    if raw.status.is_success() {
        return unexpected(raw, def);
    }
    let copy = raw.clone();
    match O::decode(raw) {
        Err(e) => e,
        Ok(_) => unexpected(copy, def),
    }
}

/// A decode error: the response is not the stream `def` describes.
fn unexpected<E>(raw: RawResponse, def: &StreamDef) -> Error<E> {
    let content_type = raw.content_type().map(str::to_string);
    Error::Decode {
        operation: raw.operation,
        status: raw.status,
        message: format!(
            "expected a {} stream, got {}",
            def.media_type,
            content_type.as_deref().unwrap_or("no content type")
        ),
        content_type,
    }
}

impl RawResponse {
    /// The whole body of a streamed response, its events decoded (for `send()`): up to the
    /// end marker; a malformed event is an error.
    #[allow(clippy::result_large_err)]
    pub fn events<T: DeserializeOwned, E>(
        &self,
        def: &StreamDef,
    ) -> Result<Vec<Event<T>>, Error<E>> {
        let mut splitter = Splitter::new(def.format);
        let mut frames = splitter.push(&self.body);
        frames.extend(splitter.finish());
        let mut out = Vec::new();
        for frame in frames {
            match sequence::decode::<T>(def, frame) {
                Decoded::Item(e) => out.push(e),
                Decoded::End => break,
                Decoded::Malformed(message) => {
                    return Err(Error::Decode {
                        operation: self.operation,
                        status: self.status,
                        content_type: self.content_type().map(str::to_string),
                        message,
                    })
                }
            }
        }
        Ok(out)
    }

    /// [`events`](Self::events) for JSON Lines and JSON sequences: the values alone.
    #[allow(clippy::result_large_err)]
    pub fn records<T: DeserializeOwned, E>(&self, def: &StreamDef) -> Result<Vec<T>, Error<E>> {
        Ok(self.events(def)?.into_iter().map(|e| e.data).collect())
    }
}
