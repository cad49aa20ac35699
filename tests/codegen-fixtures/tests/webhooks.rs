//! Webhooks and callbacks (`tests/fixtures/codegen/webhooks.yaml`): the generated sender
//! against the generated receiver over 127.0.0.1, signed with Standard Webhooks. A
//! delivery whose signature does not verify is refused with 401 before any method runs; a
//! failed delivery is retried with the same `webhook-id`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use codegen_fixtures::webhooks::webhooks::{self as hooks, server, types};
use openapi_gen_runtime::server::{Config, Request};
use openapi_gen_runtime::signature::{self, HubSignature, StandardWebhooks};
use openapi_gen_runtime::RetryPolicy;

mod common;

use common::serve;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Records what it receives; fails the first `fail` deliveries with a 503.
#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<String>>>,
    ids: Arc<Mutex<Vec<String>>>,
    fail: Arc<AtomicUsize>,
}

impl Receiver {
    fn note(&self, request: &Request, what: String) -> bool {
        let id = request.header("webhook-id").unwrap_or_default().to_string();
        self.ids.lock().unwrap().push(id);
        if self.fail.load(Ordering::SeqCst) > 0 {
            self.fail.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        self.received.lock().unwrap().push(what);
        true
    }
}

impl server::Api for Receiver {
    async fn message_delivered(
        &self,
        request: Request,
        params: server::MessageDeliveredParams,
        body: types::Delivered,
    ) -> server::Result<server::MessageDeliveredReply> {
        let what = format!(
            "delivered {} attempt {:?}",
            body.message_id, params.x_delivery_attempt
        );
        match self.note(&request, what) {
            true => Ok(server::MessageDeliveredReply::Ok),
            false => Err(server::Error::unavailable("busy", None)),
        }
    }

    async fn message_bounced(
        &self,
        request: Request,
        body: types::Bounced,
    ) -> server::Result<server::MessageBouncedReply> {
        self.note(
            &request,
            format!("bounced {}: {}", body.message_id, body.reason),
        );
        Ok(server::MessageBouncedReply::NoContent)
    }

    async fn on_event(
        &self,
        request: Request,
        body: types::Event,
    ) -> server::Result<server::OnEventReply> {
        let what = match body {
            types::Event::Delivered(d) => format!("event: delivered {}", d.message_id),
            types::Event::Bounced(b) => format!("event: bounced {}", b.message_id),
            // A tag this version of the spec does not know.
            types::Event::Other(v) => format!("event: {v}"),
        };
        self.note(&request, what);
        Ok(server::OnEventReply::Ok)
    }
}

async fn receiver() -> (Receiver, String) {
    let receiver = Receiver::default();
    let config = Config::default().verify_signatures(StandardWebhooks::new(SECRET).unwrap());
    let base = serve(server::router_with(receiver.clone(), config)).await;
    (receiver, base)
}

fn sender(base: &str, secret: &str) -> hooks::Client {
    hooks::Client::new()
        .with_base_url(base)
        .with_hook(signature::signing(StandardWebhooks::new(secret).unwrap()))
}

fn delivered(id: &str) -> types::Delivered {
    types::Delivered {
        type_: types::DeliveredType,
        message_id: id.into(),
    }
}

#[tokio::test]
async fn signed_deliveries_reach_their_methods_typed() {
    let (receiver, base) = receiver().await;
    let send = sender(&base, SECRET);
    send.message_delivered(delivered("m1"))
        .x_delivery_attempt(1)
        .await
        .unwrap();
    send.message_bounced(types::Bounced {
        type_: types::BouncedType,
        message_id: "m2".into(),
        reason: "mailbox full".into(),
    })
    .await
    .unwrap();
    // The callback of `subscribe`, sent to the URL the subscription named (the receiver
    // serves it at `/onEvent`): as it is, nothing appended.
    sender(&format!("{base}/onEvent"), SECRET)
        .on_event(types::Event::Delivered(delivered("m3")))
        .await
        .unwrap();
    assert_eq!(
        *receiver.received.lock().unwrap(),
        [
            "delivered m1 attempt Some(1)",
            "bounced m2: mailbox full",
            "event: delivered m3"
        ]
    );
}

#[tokio::test]
async fn a_delivery_that_does_not_verify_is_refused_before_any_method_runs() {
    let (receiver, base) = receiver().await;
    // Signed with another key, another scheme, or not at all.
    let refusals = [
        sender(&base, "whsec_b3RoZXIta2V5")
            .message_delivered(delivered("x"))
            .await,
        hooks::Client::new()
            .with_base_url(&base)
            .with_hook(signature::signing(HubSignature::new("k")))
            .message_delivered(delivered("y"))
            .await,
        hooks::Client::new()
            .with_base_url(&base)
            .message_delivered(delivered("z"))
            .await,
    ];
    for refused in refusals {
        let e = refused.unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(401), "{e}");
    }
    assert!(receiver.ids.lock().unwrap().is_empty(), "no method ran");
    // An invalid body is refused too, after the signature, in the spec's error shape.
    let raw = openapi_gen_runtime::reqwest::Client::new()
        .post(format!("{base}/messageDelivered"))
        .header("content-type", "application/json")
        .body(r#"{"type":"message.delivered","message_id":""}"#);
    let body = r#"{"type":"message.delivered","message_id":""}"#;
    let scheme = StandardWebhooks::new(SECRET).unwrap();
    let mut raw = raw;
    for (name, value) in
        signature::Signer::sign(&scheme, "msg_1", signature::now(), body.as_bytes())
    {
        raw = raw.header(name, value);
    }
    let response = raw.send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(receiver.ids.lock().unwrap().is_empty(), "no method ran");
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_the_same_id() {
    let (receiver, base) = receiver().await;
    receiver.fail.store(2, Ordering::SeqCst);
    let send = sender(&base, SECRET).with_retry(RetryPolicy {
        initial_backoff: std::time::Duration::from_millis(5),
        max_backoff: std::time::Duration::from_millis(20),
        ..RetryPolicy::default()
    });
    send.message_delivered(delivered("m4")).await.unwrap();
    let ids = receiver.ids.lock().unwrap().clone();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(
        ids.iter().all(|id| id == &ids[0] && id.starts_with("msg_")),
        "{ids:?}"
    );
    assert_eq!(
        *receiver.received.lock().unwrap(),
        ["delivered m4 attempt None"]
    );
    // Another delivery has an id of its own.
    send.message_delivered(delivered("m5")).await.unwrap();
    assert_ne!(receiver.ids.lock().unwrap()[3], ids[0]);
}

/// The OpenAPI Initiative's callback example, as published: a client subscribes with its
/// `callbackUrl`; the API (the generated server) then calls back `{callbackUrl}/data` with
/// the generated sender; the subscriber's generated receiver gets the data, typed.
#[tokio::test]
async fn the_public_callback_example_calls_back_its_subscriber() {
    use codegen_fixtures::oai_callback_example as example;

    // The subscriber's receiver.
    #[derive(Clone, Default)]
    struct Subscriber(Arc<tokio::sync::Notify>, Arc<Mutex<Option<String>>>);
    impl example::webhooks::server::Api for Subscriber {
        async fn on_data(
            &self,
            _: Request,
            body: Option<example::types::OnDataBody>,
        ) -> example::webhooks::server::Result<example::webhooks::server::OnDataReply> {
            *self.1.lock().unwrap() = body.and_then(|b| b.user_data);
            self.0.notify_one();
            Ok(example::webhooks::server::OnDataReply::Accepted)
        }
    }
    // The API: it subscribes, then sends data to the callback URL.
    struct Streams;
    impl example::server::Api for Streams {
        async fn post_streams(
            &self,
            _: Request,
            params: example::server::PostStreamsParams,
        ) -> example::server::Result<example::server::PostStreamsReply> {
            let sender = example::webhooks::Client::new().with_base_url(params.callback_url);
            tokio::spawn(async move {
                let data = example::types::OnDataBody {
                    timestamp: None,
                    user_data: Some("hello subscriber".into()),
                };
                sender.on_data().body(data).await.unwrap();
            });
            Ok(example::server::PostStreamsReply::Created(
                example::types::PostStreamsResponse {
                    subscription_id: "2531329f-fb09-4ef7-887e-84e648214436".into(),
                },
            ))
        }
    }
    let subscriber = Subscriber::default();
    let callback_url = serve(example::webhooks::server::router(subscriber.clone())).await;
    let api = serve(example::server::router(Streams)).await;
    let created = example::Client::new()
        .with_base_url(&api)
        .post_streams(callback_url)
        .await
        .unwrap();
    assert_eq!(
        created.subscription_id,
        "2531329f-fb09-4ef7-887e-84e648214436"
    );
    tokio::time::timeout(std::time::Duration::from_secs(5), subscriber.0.notified())
        .await
        .expect("the callback arrives");
    assert_eq!(
        subscriber.1.lock().unwrap().as_deref(),
        Some("hello subscriber")
    );
}

/// Vonage's SMS API, as published: its delivery receipt is a callback to the URL of the
/// message's `callback` field, the expression alone. The API's sender posts to that URL as it
/// is; the subscriber serves its receiver at `/delivery-receipt` and gives that URL.
#[tokio::test]
async fn a_callback_to_the_url_alone_is_sent_to_that_url() {
    use codegen_fixtures::vonage_sms as sms;

    #[derive(Clone, Default)]
    struct Subscriber(
        Arc<tokio::sync::Notify>,
        Arc<Mutex<Option<sms::types::DeliveryReceipt>>>,
    );
    impl sms::webhooks::server::Api for Subscriber {
        async fn delivery_receipt(
            &self,
            _: Request,
            body: sms::types::DeliveryReceipt,
        ) -> sms::webhooks::server::Result<sms::webhooks::server::DeliveryReceiptReply> {
            *self.1.lock().unwrap() = Some(body);
            self.0.notify_one();
            Ok(sms::webhooks::server::DeliveryReceiptReply::Ok)
        }
    }
    struct Vonage;
    impl sms::server::Api for Vonage {
        async fn send_an_sms(
            &self,
            _: Request,
            _: sms::server::SendAnSmsParams,
            body: sms::types::NewMessage,
        ) -> sms::server::Result<sms::server::SendAnSmsReply> {
            if let Some(callback) = body.callback {
                let receipt = sms::types::DeliveryReceipt {
                    message_id: Some("0A0000000123ABCD1".into()),
                    to: Some(body.to),
                    status: Some("delivered".into()),
                    ..Default::default()
                };
                let sender = sms::webhooks::Client::new().with_base_url(callback);
                tokio::spawn(async move { sender.delivery_receipt(receipt).await.unwrap() });
            }
            Ok(sms::server::SendAnSmsReply::OkJson(
                sms::types::SendAnSmsResponse::Sms(sms::types::Sms {
                    message_count: Some("1".into()),
                    messages: None,
                }),
            ))
        }
    }
    let subscriber = Subscriber::default();
    let receiver = serve(sms::webhooks::server::router(subscriber.clone())).await;
    let api = serve(sms::server::router(Vonage)).await;
    let message = sms::types::NewMessage {
        api_key: "abcd1234".into(),
        api_secret: Some("abcdef012345".into()),
        sig: None,
        from: "AcmeInc".into(),
        to: "447700900000".into(),
        text: Some("Hello".into()),
        ttl: None,
        status_report_req: Some(true),
        callback: Some(format!("{receiver}/delivery-receipt")),
        message_class: None,
        type_: None,
        vcard: None,
        vcal: None,
        body: None,
        udh: None,
        protocol_id: None,
        title: None,
        url: None,
        validity: None,
        client_ref: None,
        account_ref: None,
        entity_id: None,
        content_id: None,
    };
    let sent = sms::Client::new()
        .with_base_url(&api)
        .send_an_sms(sms::types::SendAnSmsFormat::Json, message)
        .await
        .unwrap();
    assert!(
        matches!(sent, sms::ops::SendAnSmsSuccess::OkJson(_)),
        "{sent:?}"
    );
    tokio::time::timeout(std::time::Duration::from_secs(5), subscriber.0.notified())
        .await
        .expect("the delivery receipt arrives");
    let receipt = subscriber.1.lock().unwrap().clone().unwrap();
    assert_eq!(receipt.to.as_deref(), Some("447700900000"));
    assert_eq!(receipt.status.as_deref(), Some("delivered"));
}

/// The webhooks' payloads share a `type` tag: one `Event` enum, and `parse` that verifies a
/// delivery's signature and reads it by its tag (for a receiver of one's own making).
#[test]
fn parse_verifies_then_reads_a_delivery_by_its_tag() {
    let scheme = StandardWebhooks::new(SECRET).unwrap();
    let signed = |body: &str| {
        let mut headers = openapi_gen_runtime::HeaderMap::new();
        for (name, value) in
            signature::Signer::sign(&scheme, "msg_2", signature::now(), body.as_bytes())
        {
            headers.insert(name, value.parse().unwrap());
        }
        headers
    };
    let body = r#"{"type":"message.bounced","message_id":"m9","reason":"no such user"}"#;
    let event = hooks::parse(&signed(body), body.as_bytes(), &scheme).unwrap();
    assert_eq!(
        event,
        hooks::Event::MessageBounced(types::Bounced {
            type_: types::BouncedType,
            message_id: "m9".into(),
            reason: "no such user".into(),
        })
    );
    // A body other than the one signed.
    let other = r#"{"type":"message.delivered","message_id":"m9"}"#;
    assert!(matches!(
        hooks::parse(&signed(body), other.as_bytes(), &scheme),
        Err(signature::ParseError::Signature(
            signature::SignatureError::Mismatch
        ))
    ));
    let unknown = r#"{"type":"message.opened","message_id":"m9"}"#;
    assert_eq!(
        hooks::parse(&signed(unknown), unknown.as_bytes(), &scheme),
        Err(signature::ParseError::Unknown("message.opened".into()))
    );
}
