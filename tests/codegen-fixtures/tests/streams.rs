//! Streamed responses (`tests/fixtures/codegen/streams.yaml`): the generated client against
//! the generated server over 127.0.0.1. Items arrive as they are produced (the producer
//! waits for the client to have read the first ones before it makes the last), the body is
//! never buffered; end markers, errors before the stream, malformed items and reconnection
//! with `Last-Event-ID`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use codegen_fixtures::streams::{self, server, types};
use futures::StreamExt;
use openapi_gen_runtime::server::axum;
use openapi_gen_runtime::server::{ItemStream, Request};
use openapi_gen_runtime::{Error, Event};
use tokio::sync::Notify;

mod common;

use common::serve;

/// Serves the API; `release` lets a stream's last item go.
#[derive(Clone, Default)]
struct Api {
    release: Arc<Notify>,
}

impl server::Api for Api {
    async fn create_chat_completion(
        &self,
        _: Request,
        body: types::ChatRequest,
    ) -> server::Result<server::CreateChatCompletionReply> {
        if body.model == "unknown" {
            return Ok(server::CreateChatCompletionReply::BadRequest(
                types::ApiError {
                    message: "no such model".into(),
                },
            ));
        }
        if body.stream != Some(true) {
            return Ok(server::CreateChatCompletionReply::OkJson(
                types::ChatCompletion {
                    id: "c1".into(),
                    content: "Hello there".into(),
                },
            ));
        }
        let release = self.release.clone();
        let chunk = |delta: &str| {
            Event::new(types::ChatChunk {
                id: "c1".into(),
                delta: delta.into(),
            })
        };
        let (first, second, last) = (chunk("Hel"), chunk("lo "), chunk("there"));
        // Two chunks now; the last only once the client has read them.
        let stream =
            futures::stream::iter([first, second]).chain(futures::stream::once(async move {
                release.notified().await;
                last
            }));
        Ok(server::CreateChatCompletionReply::OkEventStream(
            ItemStream::new(stream),
        ))
    }

    async fn export_contacts(
        &self,
        _: Request,
        params: server::ExportContactsParams,
    ) -> server::Result<server::ExportContactsReply> {
        if params.list != "newsletter" {
            return Ok(server::ExportContactsReply::NotFound(types::ApiError {
                message: format!("no list {}", params.list),
            }));
        }
        let release = self.release.clone();
        let contact = |email: &str| types::Contact {
            email: email.into(),
            name: None,
        };
        let (a, b) = (contact("ada@example.com"), contact("grace@example.com"));
        let stream = futures::stream::iter([a]).chain(futures::stream::once(async move {
            release.notified().await;
            b
        }));
        Ok(server::ExportContactsReply::Ok(ItemStream::new(stream)))
    }

    async fn export_deals(&self, _: Request) -> server::Result<server::ExportDealsReply> {
        let deals = (1..=3).map(|id| types::Deal {
            id,
            amount: id as f64 * 10.5,
        });
        Ok(server::ExportDealsReply::Ok(ItemStream::iter(deals)))
    }

    async fn watch_events(&self, _: Request) -> server::Result<server::WatchEventsReply> {
        Ok(server::WatchEventsReply::Ok(ItemStream::iter([])))
    }

    async fn tail_logs(&self, _: Request) -> server::Result<server::TailLogsReply> {
        let lines = ["started", "two\nlines", "[DONE]-like but not the marker"];
        Ok(server::TailLogsReply::Ok(ItemStream::iter(
            lines.map(|l| Event::new(l.to_string())),
        )))
    }
}

fn request(model: &str) -> types::ChatRequest {
    types::ChatRequest {
        model: model.into(),
        messages: vec![types::Message {
            role: types::MessageRole::User,
            content: "Say hello".into(),
        }],
        stream: None,
    }
}

#[tokio::test]
async fn a_chat_completion_answers_json_or_events_as_its_body_asks() {
    let api = Api::default();
    let base = serve(server::router(api.clone())).await;
    let client = streams::Client::new().with_base_url(&base);

    // The plain call: JSON.
    let whole = client.create_chat_completion(request("m")).await.unwrap();
    assert_eq!(
        whole,
        streams::ops::CreateChatCompletionResponse::OkJson(types::ChatCompletion {
            id: "c1".into(),
            content: "Hello there".into(),
        })
    );

    // The streaming call sets `stream: true` itself; the first chunks arrive before the
    // server has produced the last.
    let mut events = client.create_chat_completion(request("m")).stream();
    let first = events.next().await.unwrap().unwrap();
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(
        (first.data.delta.as_str(), second.data.delta.as_str()),
        ("Hel", "lo ")
    );
    api.release.notify_one();
    let last = events.next().await.unwrap().unwrap();
    assert_eq!(last.data.delta, "there");
    // `[DONE]`, written by the router after the last item, ends the stream.
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_error_before_the_stream_is_typed_as_send_types_it() {
    let base = serve(server::router(Api::default())).await;
    let client = streams::Client::new().with_base_url(&base);
    let mut events = client.create_chat_completion(request("unknown")).stream();
    match events.next().await.unwrap() {
        Err(Error::Api { error, .. }) => {
            assert_eq!(error.status, 400);
            assert_eq!(
                error.body,
                Some(streams::ops::CreateChatCompletionError::BadRequest(
                    types::ApiError {
                        message: "no such model".into()
                    }
                ))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(events.next().await.is_none());
    // A request the server refuses (no message) is refused before the implementation runs.
    let mut empty = request("m");
    empty.messages.clear();
    let refused = client
        .create_chat_completion(empty)
        .stream()
        .next()
        .await
        .unwrap();
    assert_eq!(refused.unwrap_err().status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn json_lines_and_json_sequences_stream_their_items() {
    let api = Api::default();
    let base = serve(server::router(api.clone())).await;
    let client = streams::Client::new().with_base_url(&base);
    let mut contacts = client.export_contacts("newsletter").stream();
    assert_eq!(
        contacts.next().await.unwrap().unwrap().email,
        "ada@example.com"
    );
    api.release.notify_one();
    assert_eq!(
        contacts.next().await.unwrap().unwrap().email,
        "grace@example.com"
    );
    assert!(contacts.next().await.is_none());
    let missing = client
        .export_contacts("other")
        .stream()
        .next()
        .await
        .unwrap();
    assert_eq!(missing.unwrap_err().status().map(|s| s.as_u16()), Some(404));

    let deals: Vec<types::Deal> = client
        .export_deals()
        .stream()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(deals.iter().map(|d| d.id).collect::<Vec<_>>(), [1, 2, 3]);
    // `send()` reads the whole body into the items.
    let all = client.export_deals().await.unwrap();
    assert_eq!(all, deals);
}

#[tokio::test]
async fn text_events_are_their_data_as_written() {
    let base = serve(server::router(Api::default())).await;
    let client = streams::Client::new().with_base_url(&base);
    let lines: Vec<String> = client
        .tail_logs()
        .stream()
        .map(|e| e.unwrap().data)
        .collect()
        .await;
    assert_eq!(
        lines,
        ["started", "two\nlines", "[DONE]-like but not the marker"]
    );
}

/// A server that drops the event stream after two events, then checks the client resumes
/// after the last id it saw, then says there is nothing more (204).
#[tokio::test]
async fn a_dropped_get_stream_reconnects_with_the_last_event_id() {
    let calls = Arc::new(AtomicUsize::new(0));
    let resumed_after = Arc::new(Mutex::new(Vec::<Option<String>>::new()));
    let (c, seen) = (calls.clone(), resumed_after.clone());
    let app = axum::Router::new().route(
        "/events",
        axum::routing::get(move |headers: axum::http::HeaderMap| {
            let (c, seen) = (c.clone(), seen.clone());
            async move {
                let last = headers
                    .get("last-event-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                seen.lock().unwrap().push(last);
                let body = match c.fetch_add(1, Ordering::SeqCst) {
                    0 => "retry: 10\nid: 1\ndata: {\"kind\":\"created\"}\n\nid: 2\ndata: {\"kind\":\"updated\"}\n\n",
                    1 => "id: 3\ndata: {\"kind\":\"deleted\"}\n\n",
                    _ => return axum::http::Response::builder().status(204).body(axum::body::Body::empty()).unwrap(),
                };
                axum::http::Response::builder()
                    .header("content-type", "text/event-stream")
                    .body(axum::body::Body::from(body))
                    .unwrap()
            }
        }),
    );
    let base = serve(app).await;
    let client = streams::Client::new().with_base_url(&base);
    let kinds: Vec<String> = client
        .watch_events()
        .stream()
        .map(|e| e.unwrap().data.kind)
        .collect()
        .await;
    assert_eq!(kinds, ["created", "updated", "deleted"]);
    assert_eq!(
        *resumed_after.lock().unwrap(),
        [None, Some("2".to_string()), Some("3".to_string())]
    );
}

/// A malformed event is an error item, and the stream goes on; a response that is not the
/// stream says what came instead.
#[tokio::test]
async fn malformed_items_are_error_items_never_panics() {
    let app = axum::Router::new()
        .route(
            "/events",
            axum::routing::get(|| async {
                axum::http::Response::builder()
                    .header("content-type", "text/event-stream")
                    .body(axum::body::Body::from(
                        "data: {not json\n\ndata: {\"kind\":\"ok\"}\n\n",
                    ))
                    .unwrap()
            }),
        )
        .route(
            "/exports/deals",
            axum::routing::get(|| async {
                axum::http::Response::builder()
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(r#"{"deals": []}"#))
                    .unwrap()
            }),
        );
    let base = serve(app).await;
    let client = streams::Client::new()
        .with_base_url(&base)
        .with_retry(openapi_gen_runtime::RetryPolicy::none());
    let items: Vec<_> = client.watch_events().stream().collect().await;
    assert!(
        matches!(&items[0], Err(Error::Decode { message, .. }) if message.contains("text/event-stream item")),
        "{items:?}"
    );
    assert_eq!(items[1].as_ref().unwrap().data.kind, "ok");
    assert_eq!(items.len(), 2, "{items:?}");
    let deals: Vec<_> = client.export_deals().stream().collect().await;
    assert!(
        matches!(&deals[..], [Err(Error::Decode { message, .. })] if message.contains("expected a application/json-seq stream, got application/json")),
        "{deals:?}"
    );
}
