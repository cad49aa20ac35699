//! The round trip: a generated client calls every operation of its API against the API's
//! mock, through the client's `driver` (`openapi-gen generate --driver`), and each answer is
//! judged. It proves a client on a real exchange, not only that it compiles: a type stricter
//! than its schema, a union that picks no variant, a format read differently, a nullable
//! field the type does not allow all show up as failures.
//!
//! Each operation is called with arguments synthesized from its schemas (every parameter,
//! optional ones too, and the body in its first media type), asking in turn for every
//! documented status (`Prefer: code=`), once with the mock's fixed answer and once with a
//! dynamic one; a paginated or streamed operation is also read as a stream to its end.

use std::future::Future;

pub use openapi_gen_runtime::driver::Call;
use openapi_gen_runtime::driver::{Args, Called, BODY};
use serde_json::{Map, Value};

use super::{Direction, MockOptions, Synth};
use crate::ir::{Api, Operation, StatusCode};

mod program;

pub use program::Program;

/// The statuses the HTTP client follows (to `Location`) instead of returning them.
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// What one call must come to.
#[derive(Debug, Clone, PartialEq)]
enum Expected {
    /// A documented success, decoded.
    Success,
    /// Every item of the stream, to its end.
    Streamed,
    /// This error status; `typed` when the spec documents a body for it.
    Status { status: u16, typed: bool },
}

/// One call of an operation, before its arguments.
#[derive(Debug, Clone)]
struct Plan {
    /// `Prefer: code=`, when a status is asked for.
    code: Option<u16>,
    /// `Prefer: dynamic=true`: values drawn at random instead of the seed's fixed ones.
    dynamic: bool,
    stream: bool,
    expected: Expected,
}

/// What the calls of one API came to.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally {
    /// Operations of the API.
    pub operations: usize,
    /// Calls made.
    pub calls: usize,
    /// Successes decoded into their typed variant.
    pub successes: usize,
    /// Documented error statuses seen, their bodies decoded into their typed error.
    pub errors: usize,
    /// Streams read to their end.
    pub streams: usize,
    /// Documented responses not asked for: redirects, which the HTTP client follows to
    /// the `Location` the mock makes up; and operations that document no response at all.
    pub skipped: usize,
    /// Every call that came to something else, with what and why.
    pub failures: Vec<String>,
}

impl Tally {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: Tally) {
        self.operations += other.operations;
        self.calls += other.calls;
        self.successes += other.successes;
        self.errors += other.errors;
        self.streams += other.streams;
        self.skipped += other.skipped;
        self.failures.extend(other.failures);
    }

    /// The heading of a table of tallies ([`Tally::row`]).
    pub fn header() -> String {
        Self::line(
            "api",
            [
                "operations",
                "calls",
                "successes",
                "errors",
                "streams",
                "skipped",
                "failures",
            ],
        )
    }

    /// This tally as a row of a table, named `name`.
    pub fn row(&self, name: &str) -> String {
        let counts = [
            self.operations,
            self.calls,
            self.successes,
            self.errors,
            self.streams,
            self.skipped,
            self.failures.len(),
        ]
        .map(|n| n.to_string());
        Self::line(name, counts.each_ref().map(String::as_str))
    }

    fn line(name: &str, cells: [&str; 7]) -> String {
        let cells: String = cells.iter().map(|c| format!("{c:>11}")).collect();
        format!("{name:<32}{cells}")
    }
}

/// `openapi-gen roundtrip`: the round trip of every API in `apis` through the driver
/// program at `driver` ([`Program`]), a table row per API (and their total) to `out`, each
/// failure to `err`. Returns the exit code: 0, 1 when a call failed, 2 when the driver
/// cannot be started or a mock cannot be served.
pub fn through_program(
    apis: &[Api],
    driver: &std::path::Path,
    seed: u64,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = writeln!(err, "error: cannot start a runtime: {e}");
            return 2;
        }
    };
    let program = match Program::start(driver.as_os_str(), &[]) {
        Ok(program) => program,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let _ = writeln!(out, "{}", Tally::header());
    let mut total = Tally::default();
    for api in apis {
        let tally = match runtime.block_on(run(api, seed, |call| program.call(call))) {
            Ok(tally) => tally,
            Err(e) => {
                let _ = writeln!(err, "error: {}: {e}", api.module);
                return 2;
            }
        };
        let _ = writeln!(out, "{}", tally.row(&api.module));
        for failure in &tally.failures {
            let _ = writeln!(err, "{}: {failure}", api.module);
        }
        total.add(tally);
    }
    let _ = writeln!(out, "{}", total.row("total"));
    i32::from(!total.failures.is_empty())
}

/// Serves `api`'s mock on 127.0.0.1 (answers from `seed`) and makes every call of every
/// operation with `driver`, which calls the generated client's driver as [`Call`] says.
pub async fn run<F, Fut>(api: &Api, seed: u64, driver: F) -> Result<Tally, String>
where
    F: Fn(Call) -> Fut,
    Fut: Future<Output = Called>,
{
    let options = MockOptions {
        seed,
        stateful: false,
    };
    let (app, _) = super::app(std::slice::from_ref(api), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("the mock cannot listen: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("the mock cannot listen: {e}"))?;
    let server =
        tokio::spawn(async move { openapi_gen_runtime::server::axum::serve(listener, app).await });
    let mut tally = Tally {
        operations: api.operations.len(),
        ..Tally::default()
    };
    for op in &api.operations {
        let args = arguments(api, op, seed);
        tally.skipped += op
            .responses
            .iter()
            .filter(|r| matches!(r.status, StatusCode::Code(code) if REDIRECTS.contains(&code)))
            .count()
            + usize::from(op.responses.is_empty());
        for plan in plans(op) {
            let mut prefer: Vec<String> = plan.code.iter().map(|c| format!("code={c}")).collect();
            if plan.dynamic {
                prefer.push("dynamic=true".into());
            }
            let call = Call {
                module: api.module.clone(),
                base_url: format!("http://{address}"),
                prefer: (!prefer.is_empty()).then(|| prefer.join(", ")),
                operation: op.id(),
                args: args.clone(),
                stream: plan.stream,
            };
            let what = format!(
                "{} ({} {}), {}{}",
                call.operation,
                op.method.as_str(),
                op.path,
                call.prefer
                    .as_deref()
                    .map_or("asking for nothing".to_string(), |p| format!("Prefer: {p}")),
                if plan.stream { ", as a stream" } else { "" },
            );
            let called = driver(call).await;
            tally.calls += 1;
            match judge(&plan.expected, called) {
                Ok(Expected::Success) => tally.successes += 1,
                Ok(Expected::Streamed) => tally.streams += 1,
                Ok(Expected::Status { .. }) => tally.errors += 1,
                Err(why) => tally.failures.push(format!("{what}: {why}")),
            }
        }
    }
    server.abort();
    Ok(tally)
}

/// Whether `called` is what was `expected`; what it was otherwise.
fn judge(expected: &Expected, called: Called) -> Result<Expected, String> {
    match (expected, called) {
        (Expected::Success, Called::Success(_)) => Ok(Expected::Success),
        (Expected::Streamed, Called::Streamed(_)) => Ok(Expected::Streamed),
        (
            Expected::Status { status, typed },
            Called::Status {
                status: got,
                typed: got_typed,
                body,
            },
        ) => {
            if *status != got {
                Err(format!("answered {got}: {body}"))
            } else if *typed && !got_typed {
                Err(format!("the {got} body is not read by its type: {body}"))
            } else {
                Ok(expected.clone())
            }
        }
        (_, Called::Status { status, body, .. }) => Err(format!("answered {status}: {body}")),
        (_, Called::Success(value)) => Err(format!(
            "a success ({value:.200}) where {expected:?} was due"
        )),
        (_, Called::Streamed(n)) => Err(format!("a stream of {n} where {expected:?} was due")),
        (_, Called::Failed(why)) => Err(why),
        (_, Called::BadArgument(why)) => Err(format!("bad argument: {why}")),
        (_, Called::Unknown(why)) => Err(format!("not in the generated code: {why}")),
    }
}

/// Every call of `op`: each documented response asked for, with the mock's fixed answer
/// and with a dynamic one, and its stream read to the end.
fn plans(op: &Operation) -> Vec<Plan> {
    let (_, default_is_success) = op.successes();
    let exact = |code: u16| {
        op.responses
            .iter()
            .any(|r| r.status == StatusCode::Code(code))
    };
    let ranged = |code: u16| {
        op.responses
            .iter()
            .any(|r| r.status == StatusCode::Range((code / 100) as u8))
    };
    let mut plans = Vec::new();
    for response in &op.responses {
        let (code, status) = match response.status {
            StatusCode::Code(code) if REDIRECTS.contains(&code) => continue,
            StatusCode::Code(code) => (Some(code), code),
            // The first code of the range that no response documents on its own.
            StatusCode::Range(n) => {
                let first = u16::from(n) * 100;
                let Some(code) = (first..first + 100).find(|c| !exact(*c)) else {
                    continue;
                };
                (Some(code), code)
            }
            // Asked for nothing, the mock answers a `default` success with 200.
            StatusCode::Default if default_is_success => (None, 200),
            StatusCode::Default => {
                let Some(code) = (500..600)
                    .chain(400..500)
                    .find(|c| !exact(*c) && !ranged(*c))
                else {
                    continue;
                };
                (Some(code), code)
            }
        };
        let expected = if (200..300).contains(&status) {
            Expected::Success
        } else {
            Expected::Status {
                status,
                typed: !response.contents.is_empty(),
            }
        };
        for dynamic in [false, true] {
            plans.push(Plan {
                code,
                dynamic,
                stream: false,
                expected: expected.clone(),
            });
        }
    }
    if op.has_item_stream() {
        for dynamic in [false, true] {
            plans.push(Plan {
                code: None,
                dynamic,
                stream: true,
                expected: Expected::Streamed,
            });
        }
    }
    plans
}

/// Valid arguments of `op`, made from its schemas: every parameter (optional ones too) by
/// its Rust name, and the body in its first media type (a sequential body as one item).
fn arguments(api: &Api, op: &Operation, seed: u64) -> Args {
    let mut synth = Synth::new(api, seed, false, Direction::Request);
    let mut values = Map::new();
    for p in &op.parameters {
        let value = synth.value(&p.ty);
        if value.is_null() && !p.required {
            continue;
        }
        values.insert(p.rust_name.clone(), value);
    }
    if let Some(content) = op.request_body.as_ref().and_then(|b| b.contents.first()) {
        let value = synth.value(&content.ty);
        let value = if content.kind.is_sequential() {
            Value::Array(vec![value])
        } else {
            value
        };
        values.insert(BODY.into(), value);
    }
    Args::new(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_status_is_asked_for_and_judged() {
        let api = crate::pipeline::test_api(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
        "404": {description: gone}
        "4XX": {description: bad, content: {application/json: {schema: {type: object}}}}
        default: {description: error, content: {application/json: {schema: {type: object}}}}
"#,
        );
        let asked: Vec<(Option<u16>, bool, Expected)> = plans(&api.operations[0])
            .into_iter()
            .map(|p| (p.code, p.dynamic, p.expected))
            .collect();
        let status = |status, typed| Expected::Status { status, typed };
        assert_eq!(
            asked,
            vec![
                (Some(200), false, Expected::Success),
                (Some(200), true, Expected::Success),
                (Some(404), false, status(404, false)),
                (Some(404), true, status(404, false)),
                (Some(400), false, status(400, true)),
                (Some(400), true, status(400, true)),
                (Some(500), false, status(500, true)),
                (Some(500), true, status(500, true)),
            ]
        );
        let called = |status, typed| Called::Status {
            status,
            typed,
            body: "{}".into(),
        };
        assert!(judge(&status(404, false), called(404, false)).is_ok());
        assert!(judge(&status(400, true), called(400, false)).is_err());
        assert!(judge(&status(400, true), called(401, true)).is_err());
        assert!(judge(&Expected::Success, called(400, true)).is_err());
        assert!(judge(&Expected::Success, Called::Success("[]".into())).is_ok());
        assert!(judge(&Expected::Streamed, Called::Success("[]".into())).is_err());
    }
}
