//! The corpus round trip's driver: the client generated from every corpus spec, with its
//! `driver` (in `target/roundtrip/corpus-client`, which `scripts/roundtrip-corpus.sh` writes),
//! as a program. `openapi-gen roundtrip --driver` runs it: it serves each spec's mock and
//! writes every call here, one line of JSON each, and this program makes the call through
//! the generated client and answers what it came to, one line each.

use std::time::Duration;

use openapi_gen_runtime::driver::{answer_lines, Call, Called, Session};

/// A call that takes longer has failed: the mock answers in milliseconds.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let http = openapi_gen_runtime::reqwest::Client::new();
    answer_lines(
        std::io::stdin().lock(),
        std::io::stdout().lock(),
        |call: Call| {
            let session = Session::for_mock(&http, call.base_url, call.prefer);
            let called = corpus_client::drive(
                &call.module,
                &session,
                &call.operation,
                &call.args,
                call.stream,
            );
            runtime.block_on(async {
                tokio::time::timeout(CALL_TIMEOUT, called)
                    .await
                    .unwrap_or_else(|_| Called::Failed(format!("no answer in {CALL_TIMEOUT:?}")))
            })
        },
    )
}
