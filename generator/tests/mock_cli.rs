//! `openapi-gen mock` through the binary: it says where it listens, serves streams as the
//! spec says, and refuses to start on a spec with errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// A running mock, killed when dropped.
struct Mock {
    child: Child,
    addr: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(specs: &[PathBuf]) -> Mock {
    start_with(specs, &[])
}

fn start_with(specs: &[PathBuf], flags: &[&str]) -> Mock {
    let mut child = Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .arg("mock")
        .args(specs)
        .args(flags)
        .args(["--bind", "127.0.0.1:0", "--seed", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("a line").expect("text");
        if let Some(addr) = line.strip_prefix("listening on http://") {
            break addr.to_string();
        }
    };
    Mock { child, addr }
}

/// One HTTP/1.1 exchange (`head`: the request line and headers; a JSON `body` if any): the
/// status and the body (chunked bodies joined).
fn request(addr: &str, head: &str) -> (u16, String) {
    exchange(addr, head, None)
}

fn exchange(addr: &str, head: &str, body: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "{head}\r\nHost: {addr}\r\nConnection: close\r\n").unwrap();
    match body {
        Some(body) => write!(
            stream,
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
        None => write!(stream, "\r\n"),
    }
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = headers[9..12].parse().unwrap();
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            if size == 0 {
                break;
            }
            out.push_str(&after[..size]);
            rest = &after[size + 2..];
        }
        out
    } else {
        body.to_string()
    };
    (status, body)
}

#[test]
fn the_binary_serves_streams_as_the_spec_says() {
    let mock = start(&[fixture("codegen/streams.yaml")]);
    // Server-Sent Events of the item schema, ended by the spec's marker.
    let chat = r#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#;
    let (status, body) = exchange(
        &mock.addr,
        "POST /chat/completions HTTP/1.1\r\nAccept: text/event-stream",
        Some(chat),
    );
    assert_eq!(status, 200, "{body}");
    let events: Vec<&str> = body
        .split("\n\n")
        .filter_map(|e| e.lines().find_map(|l| l.strip_prefix("data: ")))
        .collect();
    assert_eq!(events.len(), 4, "{body}");
    assert_eq!(events[3], "[DONE]");
    for event in &events[..3] {
        let chunk: serde_json::Value = serde_json::from_str(event).unwrap();
        assert!(chunk.is_object(), "{event}");
    }
    // Numbered, so that a client that reconnects says where it was; and then told, with a
    // 204, that there is no more.
    assert!(body.starts_with("id: 1\n"), "{body}");
    let (status, body) = request(&mock.addr, "GET /events HTTP/1.1");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("id: 3\n"), "{body}");
    let (status, body) = request(&mock.addr, "GET /events HTTP/1.1\r\nLast-Event-ID: 3");
    assert_eq!(status, 204, "{body}");
    // Without `Accept`, the JSON answer of the same operation.
    let (status, body) = exchange(&mock.addr, "POST /chat/completions HTTP/1.1", Some(chat));
    assert_eq!(status, 200, "{body}");
    assert!(serde_json::from_str::<serde_json::Value>(&body)
        .unwrap()
        .is_object());
    // JSON Lines: one value a line.
    let (status, body) = request(&mock.addr, "GET /exports/contacts?list=7 HTTP/1.1");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.lines().count(), 3, "{body}");
    // And the request is validated first: a chat without messages is refused.
    let (status, _) = exchange(
        &mock.addr,
        "POST /chat/completions HTTP/1.1",
        Some(r#"{"model":"m"}"#),
    );
    assert_eq!(status, 400);
}

#[test]
fn several_specs_are_served_each_under_its_module() {
    let specs = [
        fixture("../../specs/sparkpost-subaccounts.yaml"),
        fixture("../../specs/cakemail-partner.yaml"),
    ];
    let mock = start(&specs);
    let (status, body) = request(
        &mock.addr,
        "GET /sparkpost_subaccounts/subaccounts/1 HTTP/1.1\r\nAuthorization: key",
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = request(
        &mock.addr,
        "GET /cakemail_partner/sub-accounts HTTP/1.1\r\nAuthorization: Bearer t",
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_spec_with_errors_is_not_served() {
    let output = Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args(["mock", "--bind", "127.0.0.1:0"])
        .arg(fixture("broken/dangling-ref.yaml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("error"));
}

#[test]
fn stateful_keeps_what_a_post_creates() {
    let mock = start_with(
        &[fixture("../../specs/cakemail-partner.yaml")],
        &["--stateful"],
    );
    let auth = "Authorization: Bearer t";
    let (status, body) = exchange(
        &mock.addr,
        &format!("POST /sub-accounts HTTP/1.1\r\n{auth}"),
        Some(r#"{"company_name":"Initech","admin_email":"bill@initech.example"}"#),
    );
    assert_eq!(status, 201, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = created["sub_account_id"].as_i64().unwrap();
    assert_eq!(created["data"]["id"].as_i64(), Some(id));
    let (status, body) = request(
        &mock.addr,
        &format!("GET /sub-accounts/{id} HTTP/1.1\r\n{auth}"),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Initech"), "{body}");
    let (status, _) = request(
        &mock.addr,
        &format!("DELETE /sub-accounts/{id} HTTP/1.1\r\n{auth}"),
    );
    assert!((200..300).contains(&status));
    let (status, _) = request(
        &mock.addr,
        &format!("GET /sub-accounts/{id} HTTP/1.1\r\n{auth}"),
    );
    assert_eq!(status, 404);
}

#[test]
fn the_proxy_passes_answers_through_and_sums_up_at_exit() {
    let cakemail = fixture("../../specs/cakemail-partner.yaml");
    // The upstream: a mock of the same spec, which conforms.
    let upstream = start(std::slice::from_ref(&cakemail));
    let mut child = Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .arg("mock")
        .arg(&cakemail)
        .args(["--bind", "127.0.0.1:0", "--proxy"])
        .arg(format!("http://{}", upstream.addr))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(addr) = line.strip_prefix("listening on http://") {
            break addr.to_string();
        }
    };
    let (status, body) = request(
        &addr,
        "GET /sub-accounts HTTP/1.1\r\nAuthorization: Bearer t",
    );
    assert_eq!(status, 200, "{body}");
    // Without credentials: the upstream refuses it too, and the proxy reports it.
    let (status, _) = request(&addr, "GET /sub-accounts HTTP/1.1");
    assert_eq!(status, 401);
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("GET /sub-accounts (listSubAccounts) [request]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("proxy: 2 requests, 1 not conforming to the spec (1 request)"),
        "{stderr}"
    );
}
