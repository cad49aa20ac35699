//! `.stream()` of operations that page by their `Link` header, against a local server that
//! behaves like GitHub's list endpoints: absolute next links to another origin, `rel="next"`
//! among other relations, the last page without one.

use codegen_fixtures::link_pagination as api;
use futures::StreamExt;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn issue(n: i64) -> serde_json::Value {
    serde_json::json!({"number": n, "title": format!("issue {n}")})
}

#[tokio::test]
async fn stream_walks_every_page_by_link_header() {
    let server = MockServer::start().await;
    // Links name GitHub's host, as GitHub does: the client asks its own base URL instead.
    let link = |page: u32, rels: &str| {
        format!("<https://api.github.com/repositories/42/issues?state=open&per_page=2&page={page}>; rel=\"{rels}\"")
    };
    for (page, body, links) in [
        (
            1,
            vec![issue(1), issue(2)],
            format!("{}, {}", link(2, "next"), link(3, "last")),
        ),
        (
            2,
            vec![issue(3), issue(4)],
            format!(
                "{}, {}, {}",
                link(1, "prev first"),
                link(3, "next"),
                link(3, "last")
            ),
        ),
        (3, vec![issue(5)], link(2, "prev")),
    ] {
        Mock::given(method("GET"))
            .and(path("/repos/octo/hello/issues"))
            .and(query_param("page", page.to_string()))
            .and(query_param("per_page", "2"))
            .and(query_param("state", "open"))
            // The credentials go with every page.
            .and(header("authorization", "Bearer t0ken"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", links.as_str())
                    .set_body_json(body),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = api::Client::new()
        .with_base_url(server.uri())
        .with_token("t0ken");
    let numbers: Vec<i64> = client
        .list_issues("octo", "hello")
        .state(api::types::ListIssuesState::Open)
        .per_page(2)
        .page(1)
        .stream()
        .map(|issue| issue.unwrap().number)
        .collect()
        .await;
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn an_extension_chooses_the_parameter_and_the_items() {
    let server = MockServer::start().await;
    for (after, data, next) in [
        (
            None,
            vec!["a", "b"],
            Some("</events?after=b&page=7>; rel=next"),
        ),
        (Some("b"), vec!["c"], None),
    ] {
        let mut mock = Mock::given(method("GET")).and(path("/events"));
        if let Some(after) = after {
            mock = mock.and(query_param("after", after));
        }
        let mut response = ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"data": data, "skipped": ["x"]}));
        if let Some(next) = next {
            response = response.insert_header("link", next);
        }
        mock.respond_with(response)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let client = api::Client::new()
        .with_base_url(server.uri())
        .with_token("t");
    let events: Vec<String> = client
        .list_events()
        .stream()
        .map(|e| e.unwrap())
        .collect()
        .await;
    assert_eq!(events, ["a", "b", "c"]);
    // Only `after` was taken from the link (the extension names it), not `page`.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.query(), Some("after=b"));
}

#[tokio::test]
async fn a_link_that_changes_nothing_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    "<https://elsewhere.example/repos/o/r/issues?page=1>; rel=\"next\"",
                )
                .set_body_json(vec![issue(1)]),
        )
        .mount(&server)
        .await;
    let client = api::Client::new()
        .with_base_url(server.uri())
        .with_token("t");
    let all: Vec<_> = client
        .list_issues("o", "r")
        .page(1)
        .stream()
        .collect()
        .await;
    assert_eq!(all.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
