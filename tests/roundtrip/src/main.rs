//! The corpus round trip: `corpus-roundtrip SPEC...` runs `openapi_gen::mock::roundtrip` for
//! each spec: its mock is served on 127.0.0.1 and the client generated from it (with its
//! `driver`, in `target/roundtrip/corpus-client`, which `scripts/roundtrip-corpus.sh` writes
//! from the same specs) calls every operation, asking for every documented status.
//!
//! The table of operations, calls, successes, errors and streams decoded, and failures goes
//! to stdout, every failure to stderr; the exit status is 1 if any call failed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use openapi_gen::mock::roundtrip::{self, Call, Tally};
use openapi_gen_runtime::driver::{Called, Session};

/// A call that takes longer has failed: the mock answers in milliseconds.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// The seed of the arguments and of the mock's answers.
const SEED: u64 = 1;

fn main() -> ExitCode {
    let specs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if specs.is_empty() {
        eprintln!("usage: corpus-roundtrip SPEC...");
        return ExitCode::from(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let http = openapi_gen_runtime::reqwest::Client::new();
    let mut total = Tally::default();
    let mut broken = false;
    row(
        "spec",
        &[
            "operations",
            "calls",
            "successes",
            "errors",
            "streams",
            "skipped",
            "failures",
        ],
    );
    for spec in &specs {
        let name = spec.file_name().unwrap_or_default().to_string_lossy();
        let api = match openapi_gen::load_file(spec) {
            Ok(resolved) => resolved.api,
            Err(e) => {
                eprintln!("{name}: does not load: {e}");
                broken = true;
                continue;
            }
        };
        let tally = runtime.block_on(roundtrip::run(&api, SEED, |call: Call| {
            let session = Session::for_mock(&http, call.base_url, call.prefer);
            let module = api.module.clone();
            async move {
                let called = corpus_client::drive(
                    &module,
                    &session,
                    &call.operation,
                    &call.args,
                    call.stream,
                );
                tokio::time::timeout(CALL_TIMEOUT, called)
                    .await
                    .unwrap_or_else(|_| Called::Failed(format!("no answer in {CALL_TIMEOUT:?}")))
            }
        }));
        let tally = match tally {
            Ok(tally) => tally,
            Err(e) => {
                eprintln!("{name}: {e}");
                broken = true;
                continue;
            }
        };
        print_tally(&name, &tally);
        for failure in &tally.failures {
            eprintln!("{name}: {failure}");
        }
        total.add(tally);
    }
    print_tally(&format!("all {} specs", specs.len()), &total);
    if broken || !total.failures.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_tally(name: &str, t: &Tally) {
    let counts = [
        t.operations,
        t.calls,
        t.successes,
        t.errors,
        t.streams,
        t.skipped,
        t.failures.len(),
    ]
    .map(|n| n.to_string());
    row(name, &counts.each_ref().map(String::as_str));
}

fn row(name: &str, cells: &[&str]) {
    let cells: Vec<String> = cells.iter().map(|c| format!("{c:>10}")).collect();
    println!("{name:<44}{}", cells.join(""));
}
