//! The emitted code of the fixture specs, exercised: serialization of every kind of type, and
//! requests and responses over HTTP on 127.0.0.1.

use codegen_fixtures::*;
use openapi_gen_runtime::Nullable;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[test]
fn discriminated_unions_write_one_tag_and_round_trip() {
    use unions::types::{Cat, Dog, Pet};
    let cat = Pet::Cat(Cat {
        pet_type: "whatever".into(),
        lives: 9,
    });
    let text = serde_json::to_string(&cat).unwrap();
    assert_eq!(text, r#"{"pet_type":"cat","lives":9}"#);
    let back: Pet = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    assert_eq!(
        serde_json::from_str::<Pet>(&serde_json::to_string(&back).unwrap()).unwrap(),
        back
    );
    // Every mapping key selects its variant and is kept.
    let puppy: Pet = serde_json::from_str(r#"{"pet_type":"puppy","good":true}"#).unwrap();
    assert_eq!(
        puppy,
        Pet::Dog(Dog {
            pet_type: "puppy".into(),
            good: Some(true)
        })
    );
    assert_eq!(
        serde_json::to_value(&puppy).unwrap(),
        json!({"pet_type": "puppy", "good": true})
    );
    let bird: Pet = serde_json::from_str(r#"{"pet_type":"bird"}"#).unwrap();
    assert!(matches!(bird, Pet::Other(_)));
}

#[test]
fn untagged_unions_take_the_first_variant_that_fits() {
    use unions::types::{Anything, IdOrName};
    assert_eq!(
        serde_json::from_value::<IdOrName>(json!(5)).unwrap(),
        IdOrName::Integer(5)
    );
    assert_eq!(
        serde_json::from_value::<IdOrName>(json!("x")).unwrap(),
        IdOrName::String("x".into())
    );
    assert!(matches!(
        serde_json::from_value::<IdOrName>(json!({"pet_type": "cat", "lives": 3})).unwrap(),
        IdOrName::Cat(_)
    ));
    assert_eq!(
        serde_json::from_value::<Anything>(json!(["a"])).unwrap(),
        Anything::Array(vec!["a".into()])
    );
}

#[test]
fn enums_with_odd_values_and_a_value_named_unknown() {
    use enums::types::{Priority, Reaction, Status, Tagged};
    assert_eq!(
        serde_json::from_value::<Reaction>(json!("+1")).unwrap(),
        Reaction::Plus1
    );
    assert_eq!(
        serde_json::from_value::<Reaction>(json!("-1")).unwrap(),
        Reaction::Minus1
    );
    assert_eq!(
        serde_json::from_value::<Reaction>(json!("")).unwrap(),
        Reaction::Empty
    );
    // The spec's own "unknown" keeps its name; the catch-all moves aside.
    assert_eq!(
        serde_json::from_value::<Reaction>(json!("unknown")).unwrap(),
        Reaction::Unknown
    );
    assert_eq!(
        serde_json::from_value::<Reaction>(json!("rocket")).unwrap(),
        Reaction::Unknown2("rocket".into())
    );
    assert_eq!(serde_json::to_value(Reaction::Minus1).unwrap(), json!("-1"));
    assert_eq!(
        serde_json::from_value::<Priority>(json!(20)).unwrap(),
        Priority::V20
    );
    assert_eq!(
        serde_json::from_value::<Priority>(json!(30)).unwrap(),
        Priority::Unknown(30)
    );
    let t: Tagged = serde_json::from_value(json!({"reaction": "laugh", "status": null})).unwrap();
    // `Status` is a nullable component: an optional use of it tells `null` from absent.
    assert_eq!((t.reaction, t.status), (Reaction::Laugh, Nullable::Null));
    let t: Tagged = serde_json::from_value(json!({"reaction": "laugh", "status": "open"})).unwrap();
    assert_eq!(t.status, Nullable::Value(Status::Open));
    let t: Tagged = serde_json::from_value(json!({"reaction": "laugh"})).unwrap();
    assert_eq!(t.status, Nullable::Absent);
}

#[test]
fn all_of_merges_and_nullable_refs() {
    use all_of::types::{Employee, Person};
    let e: Employee = serde_json::from_value(json!({
        "name": "Ada", "born": "1815-12-10", "employee_id": "6f1c8e8e-2f4b-4a87-9a0e-0b1d2c3e4f50",
        "manager": null
    }))
    .unwrap();
    assert_eq!(e.name, "Ada");
    assert_eq!(e.born.unwrap().to_string(), "1815-12-10");
    // Optional and nullable: `null` is not absent.
    assert_eq!(e.manager, Nullable::<Person>::Null);
}

/// A `$ref` to a component that is `nullable: true` reads `null`, as a field and as an item,
/// even when an identical component without `nullable` is merged with it.
#[test]
fn refs_to_nullable_components_read_null() {
    use published::types::{Review, User};
    let r: Review = serde_json::from_value(json!({
        "author": {"login": "a"}, "assignee": null, "reviewers": [null, {"login": "b"}]
    }))
    .unwrap();
    assert_eq!(r.author.login, "a");
    assert_eq!(r.assignee, None);
    assert_eq!(r.reviewers, vec![None, Some(User { login: "b".into() })]);
    // The non-nullable one still refuses `null`.
    assert!(serde_json::from_value::<Review>(json!({
        "author": null, "assignee": null, "reviewers": []
    }))
    .is_err());
}

#[test]
fn nullable_required_fields_are_sent_as_null() {
    use nullable::types::Profile;
    let p = Profile {
        nickname: None,
        bio: "hi".into(),
        website: Nullable::Absent,
        deleted_at: Nullable::Absent,
        scores: Nullable::Value(vec![1.5]),
    };
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"nickname": null, "bio": "hi", "scores": [1.5]})
    );
}

#[test]
fn maps_and_extra_properties() {
    use maps::types::{Extensible, Settings};
    let s: Settings = serde_json::from_value(json!({"labels": {"a": "b"}, "limits": {"x": {"max": 3}}, "anything": {"k": [1]}, "strict": {}})).unwrap();
    assert_eq!(s.labels.unwrap()["a"], "b");
    assert_eq!(s.limits.unwrap()["x"].max, Some(3));
    let e: Extensible = serde_json::from_value(json!({"id": "i", "cpu": 2, "mem": 4})).unwrap();
    assert_eq!(e.additional_properties.len(), 2);
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"id": "i", "cpu": 2, "mem": 4})
    );
}

#[test]
fn recursive_types_nest() {
    use recursion::types::{Expr, Node, Sum};
    let leaf = Node {
        value: "leaf".into(),
        parent: None,
        children: None,
        meta: None,
    };
    let root = Node {
        value: "root".into(),
        parent: None,
        children: Some(vec![leaf.clone()]),
        meta: None,
    };
    let child = Node {
        parent: Some(Box::new(root)),
        ..leaf
    };
    let text = serde_json::to_string(&child).unwrap();
    assert_eq!(serde_json::from_str::<Node>(&text).unwrap(), child);
    let e: Expr =
        serde_json::from_value(json!({"left": 1, "right": {"left": 2, "right": 3}})).unwrap();
    assert!(matches!(e, Expr::Sum(ref s) if matches!(**s, Sum { .. })));
}

#[tokio::test]
async fn every_parameter_location_and_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|req: &Request| {
            let header = |n: &str| {
                req.headers
                    .get(n)
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default()
            };
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/plain")
                .set_body_string(format!(
                    "{}?{}|{}|{}|{}",
                    req.url.path(),
                    req.url.query().unwrap_or(""),
                    header("x-request-id"),
                    header("x-flags"),
                    header("cookie")
                ))
        })
        .mount(&server)
        .await;
    let client = params::Client::new().with_base_url(server.uri());
    let echo = client
        .get_file(
            "a b/c",
            vec!["x".to_string(), "y".to_string()],
            vec![1, 2],
            10,
            vec!["f1".to_string(), "f2".to_string()],
        )
        .tags(vec!["t1".to_string(), "t2".to_string()])
        .ids(vec![4, 5])
        .words(vec!["w1".to_string(), "w2".to_string()])
        .pipes(vec!["p1".to_string(), "p2".to_string()])
        .filter(params::types::GetFileFilter {
            color: Some("red".into()),
            size: Some(3),
        })
        .x_request_id(
            "6f1c8e8e-2f4b-4a87-9a0e-0b1d2c3e4f50"
                .parse::<openapi_gen_runtime::uuid::Uuid>()
                .unwrap(),
        )
        .session("s1")
        .send()
        .await
        .unwrap();
    let (url, rest) = echo.split_once('|').unwrap();
    assert_eq!(
        url,
        "/files/a%20b%2Fc/.x.y/;coords=1,2?tags=t1&tags=t2&ids=4%2C5&words=w1+w2&pipes=p1%7Cp2&filter%5Bcolor%5D=red&filter%5Bsize%5D=3&limit=10"
    );
    assert_eq!(
        rest,
        "6f1c8e8e-2f4b-4a87-9a0e-0b1d2c3e4f50|f1,f2|session=s1"
    );
}

#[tokio::test]
async fn form_multipart_binary_and_text_bodies() {
    let server = MockServer::start().await;
    // Echoes the content type and the body (escaped to fit in a header).
    fn echo(req: &Request, status: u16) -> ResponseTemplate {
        let ct = req
            .headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body: String = req.body.escape_ascii().to_string().replace("\\r\\n", "\\n");
        ResponseTemplate::new(status).insert_header("x-seen", format!("{ct}|{body}"))
    }
    Mock::given(method("POST"))
        .respond_with(|req: &Request| echo(req, 200))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(|req: &Request| echo(req, 204))
        .mount(&server)
        .await;
    let client = bodies::Client::new().with_base_url(server.uri());
    let seen = |r: &openapi_gen_runtime::Response<()>| {
        r.headers
            .get("x-seen")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };

    let login = bodies::types::LoginBody {
        username: "ann".into(),
        password: "p&ss".into(),
        scopes: Some(vec!["a".into(), "b".into()]),
    };
    let r = client.login(login).send_with_response().await.unwrap();
    assert_eq!(
        seen(&r),
        "application/x-www-form-urlencoded|username=ann&password=p%26ss&scopes=a&scopes=b"
    );

    let upload = bodies::types::UploadBody {
        file: b"\x00PNG".to_vec(),
        description: Some("logo".into()),
        count: None,
    };
    let r = client.upload(upload).send_with_response().await;
    // 200 is not documented for upload (201 is): the client reports it, without panicking.
    let err = r.unwrap_err();
    let api = err.api_error().unwrap();
    let seen = api.headers.get("x-seen").unwrap().to_str().unwrap();
    assert!(seen.starts_with("multipart/form-data; boundary="), "{seen}");
    assert!(
        seen.contains("name=\\\"file\\\"; filename=\\\"file\\\"") && seen.contains("\\x00PNG"),
        "{seen}"
    );
    assert!(
        seen.contains("name=\\\"description\\\"\\n\\nlogo"),
        "{seen}"
    );
    assert!(!seen.contains("count"), "{seen}");

    let note = bodies::types::Note {
        text: "hi".into(),
        pinned: Some(true),
    };
    let r = client
        .put_note()
        .body(bodies::ops::PutNoteBody::Form(note.clone()))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(
        r.headers.get("x-seen").unwrap(),
        "application/x-www-form-urlencoded|text=hi&pinned=true"
    );
    let r = client
        .put_note()
        .body(bodies::ops::PutNoteBody::Json(note))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(
        r.headers.get("x-seen").unwrap(),
        "application/json|{\\\"text\\\":\\\"hi\\\",\\\"pinned\\\":true}"
    );
    // The body is optional: without it, nothing is sent.
    let r = client.put_note().send_with_response().await.unwrap();
    assert_eq!(r.headers.get("x-seen").unwrap(), "|");

    let err = client.post_raw(vec![1u8, 2, 3]).send().await.unwrap_err();
    assert!(err
        .api_error()
        .unwrap()
        .headers
        .get("x-seen")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/octet-stream|"));
    let err = client.post_text("plain words").send().await.unwrap_err();
    assert_eq!(
        err.api_error().unwrap().headers.get("x-seen").unwrap(),
        "text/plain|plain words"
    );
}

#[tokio::test]
async fn several_responses_statuses_and_media_types() {
    use responses::ops::{StartJobError, StartJobResponse};
    let server = MockServer::start().await;
    let client = responses::Client::new()
        .with_base_url(server.uri())
        .with_retry(openapi_gen_runtime::RetryPolicy::none());
    let answer = |status: u16, ct: &str, body: &str| {
        let (ct, body) = (ct.to_string(), body.to_string());
        move |_: &Request| ResponseTemplate::new(status).set_body_raw(body.clone(), &ct)
    };
    let cases: Vec<(u16, &str, &str)> = vec![
        (200, "application/json", r#"{"id":"j1","state":"done"}"#),
        (200, "text/plain", "done at once"),
        (202, "application/json", r#"{"id":"j2"}"#),
        (204, "text/plain", ""),
    ];
    let mut got = Vec::new();
    for (status, ct, body) in cases {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/jobs"))
            .respond_with(answer(status, ct, body))
            .mount(&server)
            .await;
        got.push(client.start_job().send().await.unwrap());
    }
    assert!(matches!(&got[0], StartJobResponse::OkJson(j) if j.id == "j1"));
    assert_eq!(got[1], StartJobResponse::OkText("done at once".into()));
    assert!(matches!(&got[2], StartJobResponse::Accepted(j) if j.id == "j2"));
    assert_eq!(got[3], StartJobResponse::NoContent);

    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(answer(
            409,
            "application/problem+json",
            r#"{"title":"busy","status":409}"#,
        ))
        .mount(&server)
        .await;
    let err = client.start_job().send().await.unwrap_err();
    assert!(
        matches!(&err.api_error().unwrap().body, Some(StartJobError::Status4xx(p)) if p.title.as_deref() == Some("busy"))
    );
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(answer(500, "application/json", r#"{"title":"boom"}"#))
        .mount(&server)
        .await;
    let err = client.start_job().send().await.unwrap_err();
    assert!(
        matches!(&err.api_error().unwrap().body, Some(StartJobError::Default(p)) if p.title.as_deref() == Some("boom"))
    );

    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/jobs/7/artifact"))
        .respond_with(answer(200, "application/octet-stream", "\u{1}\u{2}"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs/7/log"))
        .respond_with(answer(200, "text/plain", "line 1\nline 2"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(answer(200, "application/json", r#"{"ok":true}"#))
        .mount(&server)
        .await;
    assert_eq!(
        &client.get_artifact("7").send().await.unwrap()[..],
        b"\x01\x02"
    );
    assert_eq!(
        client.get_job_log("7").send().await.unwrap(),
        "line 1\nline 2"
    );
    assert_eq!(client.health().send().await.unwrap().ok, Some(true));
}

#[tokio::test]
async fn security_schemes_are_placed_as_declared() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|req: &Request| {
            let h = |n: &str| {
                req.headers
                    .get(n)
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default()
            };
            ResponseTemplate::new(204).insert_header(
                "x-seen",
                format!(
                    "{}|{}|{}",
                    req.url.query().unwrap_or(""),
                    h("authorization"),
                    h("cookie")
                ),
            )
        })
        .mount(&server)
        .await;
    assert_eq!(
        security::Client::new().base_url(),
        "https://eu.example.com/v2"
    );
    let client = security::Client::new()
        .with_base_url(server.uri())
        .with_api_key_query("k1")
        .with_basic("ann", "pw")
        .with_api_key_cookie("c1")
        .with_oauth("tok");
    let seen = |r: openapi_gen_runtime::Response<()>| {
        r.headers
            .get("x-seen")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    // The first alternative whose credentials are all set.
    assert_eq!(
        seen(client.get_default().send_with_response().await.unwrap()),
        "api_key=k1||"
    );
    assert_eq!(
        seen(client.get_private().send_with_response().await.unwrap()),
        "|Bearer tok|sid=c1"
    );
    assert_eq!(
        seen(client.get_public().send_with_response().await.unwrap()),
        "||"
    );
    let basic_only = security::Client::new()
        .with_base_url(server.uri())
        .with_basic("ann", "pw");
    assert_eq!(
        seen(basic_only.get_default().send_with_response().await.unwrap()),
        "|Basic YW5uOnB3|"
    );
}

/// The generated server of the parameter fixture keeps what it decoded.
#[derive(Clone, Default)]
struct ParamsServer {
    seen: std::sync::Arc<std::sync::Mutex<Vec<params::server::GetFileParams>>>,
}

impl params::server::Api for ParamsServer {
    async fn get_file(
        &self,
        _request: openapi_gen_runtime::server::Request,
        params: params::server::GetFileParams,
    ) -> params::server::Result<params::server::GetFileReply> {
        self.seen.lock().unwrap().push(params);
        Ok(params::server::GetFileReply::Ok("seen".into()))
    }
}

#[tokio::test]
async fn the_generated_server_decodes_every_style_the_client_encodes() {
    let imp = ParamsServer::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = params::server::router(imp.clone());
    tokio::spawn(async move {
        openapi_gen_runtime::server::axum::serve(listener, app)
            .await
            .unwrap()
    });
    let uuid = "6f1c8e8e-2f4b-4a87-9a0e-0b1d2c3e4f50"
        .parse::<openapi_gen_runtime::uuid::Uuid>()
        .unwrap();
    let client = params::Client::new().with_base_url(&base);
    let sent = client
        .get_file(
            "a b/c",
            vec!["x".to_string(), "y".to_string()],
            vec![1, 2],
            10,
            vec!["f1".to_string(), "f2".to_string()],
        )
        .tags(vec!["t1".to_string(), "t2".to_string()])
        .ids(vec![4, 5])
        .words(vec!["w1".to_string(), "w2".to_string()])
        .pipes(vec!["p1".to_string(), "p2".to_string()])
        .filter(params::types::GetFileFilter {
            color: Some("red".into()),
            size: Some(3),
        })
        .x_request_id(uuid)
        .session("s1")
        .send()
        .await
        .unwrap();
    assert_eq!(sent, "seen");
    // Only the required parameters.
    client
        .get_file(
            "plain",
            vec!["z".to_string()],
            vec![7],
            1,
            vec!["g".to_string()],
        )
        .send()
        .await
        .unwrap();
    // Out of range: rejected before the implementation.
    let rejected = client
        .get_file(
            "n",
            vec!["q".to_string()],
            vec![1],
            1000,
            vec!["g".to_string()],
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(rejected, openapi_gen_runtime::Error::Api { ref error, .. } if error.status == 400),
        "{rejected:?}"
    );

    let seen = imp.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            params::server::GetFileParams {
                name: "a b/c".into(),
                labels: vec!["x".into(), "y".into()],
                coords: vec![1, 2],
                tags: Some(vec!["t1".into(), "t2".into()]),
                ids: Some(vec![4, 5]),
                words: Some(vec!["w1".into(), "w2".into()]),
                pipes: Some(vec!["p1".into(), "p2".into()]),
                filter: Some(params::types::GetFileFilter {
                    color: Some("red".into()),
                    size: Some(3),
                }),
                limit: 10,
                x_request_id: Some(uuid),
                x_flags: vec!["f1".into(), "f2".into()],
                session: Some("s1".into()),
            },
            params::server::GetFileParams {
                name: "plain".into(),
                labels: vec!["z".into()],
                coords: vec![7],
                tags: None,
                ids: None,
                words: None,
                pipes: None,
                filter: None,
                limit: 1,
                x_request_id: None,
                x_flags: vec!["g".into()],
                session: None,
            },
        ]
    );
}
