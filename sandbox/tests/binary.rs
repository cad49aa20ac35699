//! The `sandbox` binary: its help, and a run that serves and logs each request.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn help_describes_the_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--bind",
        "[default: 127.0.0.1:8025]",
        "--data-dir",
        "--in-memory",
        "--partner",
        "--body-limit",
    ] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }
}

#[test]
fn a_bad_partner_flag_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["--partner", "no-secret"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not `name=secret`"));
}

#[tokio::test]
async fn serves_and_logs_each_request() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["--in-memory", "--bind", "127.0.0.1:0", "--partner", "p=s"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    assert!(addr.starts_with("http://127.0.0.1:"), "{first}");
    let response = reqwest::Client::new()
        .get(format!("{addr}/cakemail/sub-accounts"))
        .bearer_auth("s")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let log = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    for part in [
        "listSubAccounts",
        "method=GET",
        "path=/sub-accounts",
        "status=200",
    ] {
        assert!(
            log.contains(part),
            "{part} missing from the log line {log:?}"
        );
    }
}
