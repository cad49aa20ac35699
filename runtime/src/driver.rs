//! Calling an operation by its id, with its arguments given as JSON: what the `driver` module
//! a client is generated with (`--driver`) runs on. The corpus round trip calls every
//! operation of every API this way against `openapi-gen mock`, and counts what came back.
//!
//! Arguments are read into the operation's own types with `serde`, so an argument the types
//! cannot read (a type stricter than its schema) is reported as such, apart from answers that
//! do not decode.
//!
//! A driver can also be a program of its own ([`answer_lines`]): it reads one [`Call`] per
//! line of JSON and writes what each [`Called`] to, one line each. `openapi-gen roundtrip
//! --driver PROGRAM` drives such a program, so a crate generated with `--driver` is proven
//! against the mock without linking the generator.

use std::fmt::Debug;
use std::io::{BufRead, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(feature = "client")]
use crate::{BoxStream, Error};

/// The key of the request body among a call's arguments (parameters are keyed by their
/// Rust name, which is unique in an operation and never `body` when there is one).
pub const BODY: &str = "body";

/// Where and as whom a driver calls: every call builds a client of the API from it.
#[cfg(feature = "client")]
#[derive(Debug, Clone)]
pub struct Session {
    /// The HTTP client every call shares (its connection pool).
    pub http: reqwest::Client,
    /// The API's base URL.
    pub base_url: String,
    /// Headers sent with every request (`Prefer: code=404` to ask a mock for a status).
    pub headers: Vec<(String, String)>,
    /// The credential set for every security scheme of the API (user name and password
    /// alike for HTTP Basic).
    pub secret: String,
    /// When calls are retried (the client's default unless set).
    pub retry: crate::RetryPolicy,
}

#[cfg(feature = "client")]
impl Session {
    /// A session of a round trip against a local mock (`openapi_gen::mock::roundtrip`):
    /// the shared `http` client, the `Prefer` header the call asks for, and retries as a
    /// user's client makes them but without the wait, since 429 and 503 are asked for.
    pub fn for_mock(
        http: &reqwest::Client,
        base_url: impl Into<String>,
        prefer: Option<String>,
    ) -> Self {
        let mut session = Session::new(base_url, "secret");
        session.http = http.clone();
        session
            .headers
            .extend(prefer.map(|p| ("Prefer".to_string(), p)));
        session.retry = crate::RetryPolicy {
            max_retries: 1,
            initial_backoff: std::time::Duration::from_millis(1),
            max_backoff: std::time::Duration::from_millis(2),
        };
        session
    }

    /// Calls to `base_url` with no extra headers.
    pub fn new(base_url: impl Into<String>, secret: impl Into<String>) -> Self {
        Session {
            http: reqwest::Client::new(),
            base_url: base_url.into(),
            headers: Vec::new(),
            secret: secret.into(),
            retry: crate::RetryPolicy::default(),
        }
    }
}

/// One call for a driver to make.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Call {
    /// The API's module in the generated crate.
    pub module: String,
    /// The API's base URL.
    pub base_url: String,
    /// The `Prefer` header to send, when there is one.
    pub prefer: Option<String>,
    /// The operation's id (`operationId`, or the one the generator made up).
    pub operation: String,
    /// The call's arguments.
    pub args: Args,
    /// Read `.stream()` to its end instead of calling `send()`.
    pub stream: bool,
}

/// A driver program's loop: reads one [`Call`] per line of `input` (JSON), makes it with
/// `call` and writes what it came to, one line of JSON per call, to `output`, flushed at
/// once. A line that is not a call is answered with [`Called::Unknown`]. Returns at the end
/// of `input`, or with the error that writing met.
pub fn answer_lines(
    input: impl BufRead,
    mut output: impl Write,
    mut call: impl FnMut(Call) -> Called,
) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let called = match serde_json::from_str::<Call>(&line) {
            Ok(one) => call(one),
            Err(e) => Called::Unknown(format!("not a call ({e}): {line:.200}")),
        };
        let text = serde_json::to_string(&called).map_err(std::io::Error::other)?;
        writeln!(output, "{text}")?;
        output.flush()?;
    }
    Ok(())
}

/// The arguments of one call: parameters by their name in the spec, the request body as
/// `body`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Args(Map<String, Value>);

impl Args {
    /// Arguments from a JSON object.
    pub fn new(values: Map<String, Value>) -> Self {
        Args(values)
    }

    /// The argument `name`, read into `T`; a missing one reads as `null`.
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Called> {
        read(name, self.0.get(name).cloned().unwrap_or(Value::Null))
    }

    /// The argument `name`, read into `T`, if it is given.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Called> {
        self.0
            .get(name)
            .map(|value| read(name, value.clone()))
            .transpose()
    }

    /// Whether the argument `name` is given.
    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The argument `name` as bytes: a string's UTF-8, or the JSON text of any other value.
    pub fn bytes(&self, name: &str) -> Vec<u8> {
        match self.0.get(name) {
            Some(Value::String(text)) => text.clone().into_bytes(),
            Some(other) => other.to_string().into_bytes(),
            None => Vec::new(),
        }
    }
}

/// Read from JSON text, as the client reads answers (`serde_json::from_slice`): from a
/// `Value`, every type's `Deserialize` would be compiled a second time, for that other
/// deserializer.
fn read<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, Called> {
    serde_json::from_slice(value.to_string().as_bytes()).map_err(|e| {
        Called::BadArgument(format!(
            "`{name}` = {value} is not read by its type ({}): {e}",
            std::any::type_name::<T>()
        ))
    })
}

/// What one call came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Called {
    /// A success, decoded into its type (shown as its `Debug`).
    Success(String),
    /// A stream (pages, events or records) read to its end: how many items it yielded.
    Streamed(usize),
    /// An error status; `typed` when its body decoded into the operation's error type.
    /// `body` is the start of the body as received.
    Status {
        status: u16,
        typed: bool,
        body: String,
    },
    /// No decoded answer: a body that does not decode, a transport error, a timeout.
    Failed(String),
    /// An argument the operation's types do not read.
    BadArgument(String),
    /// No such operation (or API).
    Unknown(String),
}

/// What `result`, the outcome of `send()`, came to.
#[cfg(feature = "client")]
pub fn called<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> Called {
    match result {
        Ok(value) => Called::Success(format!("{value:?}")),
        Err(e) => failed(e),
    }
}

/// Reads `stream` to its end: how many items, or the first error.
#[cfg(feature = "client")]
pub async fn drained<T, E>(mut stream: BoxStream<Result<T, Error<E>>>) -> Called {
    use futures::StreamExt;
    let mut count = 0;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => count += 1,
            Err(e) => return failed(e),
        }
    }
    Called::Streamed(count)
}

/// How much of an error body [`Called::Status`] keeps.
#[cfg(feature = "client")]
const BODY_SHOWN: usize = 300;

#[cfg(feature = "client")]
fn failed<E>(e: Error<E>) -> Called {
    match e {
        Error::Api { error, .. } => Called::Status {
            status: error.status.as_u16(),
            typed: error.body.is_some(),
            body: error.raw_text().chars().take(BODY_SHOWN).collect(),
        },
        other => Called::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arguments_are_read_into_their_types_or_reported() {
        let Value::Object(map) = json!({"id": 7, "name": "x"}) else {
            unreachable!()
        };
        let args = Args::new(map);
        assert_eq!(args.required::<i64>("id"), Ok(7));
        assert_eq!(args.optional::<String>("name"), Ok(Some("x".into())));
        assert_eq!(args.optional::<String>("missing"), Ok(None));
        assert_eq!(args.required::<Option<i64>>("missing"), Ok(None));
        let Err(Called::BadArgument(message)) = args.required::<i64>("name") else {
            panic!("a string is not an i64")
        };
        assert!(message.starts_with("`name` = \"x\" is not read by its type (i64)"));
        assert_eq!(args.bytes("name"), b"x");
        assert_eq!(args.bytes("id"), b"7");
    }

    #[test]
    fn a_driver_program_answers_a_line_per_call() {
        let input = concat!(
            r#"{"module":"pets","base_url":"http://127.0.0.1:1","prefer":null,"#,
            r#""operation":"getPet","args":{"id":7},"stream":false}"#,
            "\n\nnot json\n"
        );
        let mut output = Vec::new();
        let mut seen = Vec::new();
        answer_lines(input.as_bytes(), &mut output, |call| {
            seen.push((call.module, call.operation, call.args.required::<i64>("id")));
            Called::Streamed(2)
        })
        .unwrap();
        assert_eq!(seen, vec![("pets".into(), "getPet".into(), Ok(7))]);
        let lines: Vec<Called> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0], Called::Streamed(2));
        assert!(matches!(&lines[1], Called::Unknown(why) if why.contains("not a call")));
        assert_eq!(lines.len(), 2);
    }
}
