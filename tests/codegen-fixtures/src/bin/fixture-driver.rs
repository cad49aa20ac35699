//! A driver program (`openapi_gen_runtime::driver::answer_lines`) over some of the fixtures'
//! clients, for `tests/roundtrip_cli.rs`: `openapi-gen roundtrip --driver` runs it as users
//! run theirs. A module it does not know is answered as unknown.

use std::time::Duration;

use codegen_fixtures::{bodies, published, streams};
use openapi_gen_runtime::driver::{answer_lines, Call, Called, Session};

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
            let (op, args, stream) = (&call.operation, &call.args, call.stream);
            let called = match call.module.as_str() {
                "bodies" => bodies::driver::call(&session, op, args, stream),
                "published" => published::driver::call(&session, op, args, stream),
                "streams" => streams::driver::call(&session, op, args, stream),
                other => return Called::Unknown(format!("no API {other}")),
            };
            runtime.block_on(async {
                tokio::time::timeout(CALL_TIMEOUT, called)
                    .await
                    .unwrap_or_else(|_| Called::Failed(format!("no answer in {CALL_TIMEOUT:?}")))
            })
        },
    )
}
