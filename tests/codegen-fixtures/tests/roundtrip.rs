//! The round trip on every fixture (`openapi_gen::mock::roundtrip`): each fixture's mock is
//! served on 127.0.0.1 and the fixture's generated client calls every operation through its
//! `driver`, with arguments synthesized from the spec, asking for every documented status.
//! Every success must decode into its typed variant, every documented error into its typed
//! error, every stream must be read to its end. The corpus runs the same round trip
//! (`scripts/roundtrip-corpus.sh`).

use std::path::Path;
use std::time::Duration;

use openapi_gen::mock::roundtrip::{self, Call, Tally};
use openapi_gen_runtime::driver::{Called, Session};

const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// The round trip of the spec at `spec` (from `tests/`), each call made by `drive`.
async fn round_trip<F, Fut>(spec: &str, drive: F) -> Tally
where
    F: Fn(Session, Call) -> Fut,
    Fut: std::future::Future<Output = Called>,
{
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(spec);
    let api = openapi_gen::load_file(&path)
        .unwrap_or_else(|e| panic!("{spec}: {e}"))
        .api;
    let http = openapi_gen_runtime::reqwest::Client::new();
    let tally = roundtrip::run(&api, 1, |call: Call| {
        let session = Session::for_mock(&http, call.base_url.clone(), call.prefer.clone());
        let called = drive(session, call);
        async move {
            tokio::time::timeout(CALL_TIMEOUT, called)
                .await
                .unwrap_or_else(|_| Called::Failed(format!("no answer in {CALL_TIMEOUT:?}")))
        }
    })
    .await
    .unwrap_or_else(|e| panic!("{spec}: {e}"));
    assert!(
        tally.failures.is_empty(),
        "{spec}: {} of {} calls failed:\n{}",
        tally.failures.len(),
        tally.calls,
        tally.failures.join("\n")
    );
    // Each operation is called at least twice (its fixed and its dynamic answer).
    assert!(tally.calls >= 2 * tally.operations, "{spec}: {tally:?}");
    assert_eq!(
        tally.successes + tally.errors + tally.streams,
        tally.calls,
        "{spec}"
    );
    tally
}

macro_rules! round_trips {
    ($($module:ident: $spec:literal,)*) => {
        $(
            #[tokio::test]
            async fn $module() {
                let tally = round_trip($spec, |session, call| async move {
                    codegen_fixtures::$module::driver::call(
                        &session,
                        &call.operation,
                        &call.args,
                        call.stream,
                    )
                    .await
                })
                .await;
                assert!(tally.operations > 0, "{}: no operation", $spec);
            }
        )*
    };
}

round_trips! {
    all_of: "fixtures/codegen/all_of.yaml",
    bodies: "fixtures/codegen/bodies.yaml",
    enums: "fixtures/codegen/enums.yaml",
    forms: "fixtures/codegen/forms.yaml",
    idempotency: "fixtures/codegen/idempotency.yaml",
    link_pagination: "fixtures/codegen/link_pagination.yaml",
    maps: "fixtures/codegen/maps.yaml",
    names: "fixtures/codegen/names.yaml",
    naming: "fixtures/codegen/naming.yaml",
    nullable: "fixtures/codegen/nullable.yaml",
    oauth: "fixtures/codegen/oauth.yaml",
    openapi31: "fixtures/codegen/openapi31.yaml",
    openapi32: "fixtures/codegen/openapi32.yaml",
    params: "fixtures/codegen/params.yaml",
    published: "fixtures/codegen/published.yaml",
    recursion: "fixtures/codegen/recursion.yaml",
    responses: "fixtures/codegen/responses.yaml",
    security: "fixtures/codegen/security.yaml",
    streams: "fixtures/codegen/streams.yaml",
    structured_responses: "fixtures/codegen/structured_responses.yaml",
    swagger2: "fixtures/codegen/swagger2.yaml",
    unions: "fixtures/codegen/unions.yaml",
    webhooks: "fixtures/codegen/webhooks.yaml",
    duplicate_operation_id: "fixtures/lenient/duplicate_operation_id.yaml",
    openapi30_mixed: "fixtures/lenient/openapi30_mixed.yaml",
    openapi31_nullable: "fixtures/lenient/openapi31_nullable.yaml",
    path_params: "fixtures/lenient/path_params.yaml",
    schema_faults: "fixtures/lenient/schema_faults.yaml",
    swagger2_mixed: "fixtures/lenient/swagger2_mixed.yaml",
    oai_callback_example: "corpus/files/oai__callback-example.yaml",
    vonage_sms: "corpus/files/vonage__sms.yml",
    api: "fixtures/multi/api.yaml",
}
