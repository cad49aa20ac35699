//! The code `build.rs` generates at build time (with `openapi_gen::configure()`) is the same
//! API as the checked-in `generated-client/`, and works.

// A test binary uses part of the API; a library exporting the modules needs no allow.
#[allow(dead_code)]
mod sparkpost {
    include!(concat!(env!("OUT_DIR"), "/sparkpost_subaccounts.rs"));
}
#[allow(dead_code)]
mod cakemail {
    include!(concat!(env!("OUT_DIR"), "/cakemail_partner.rs"));
}

use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Generated code without the crate's feature gates (the checked-in crate puts the client and
/// the server behind features `client` and `server`; a build script chooses with
/// `.client()`/`.server()`).
fn ungated(code: &str) -> String {
    code.lines()
        .filter(|l| {
            !matches!(
                l.trim(),
                r#"#[cfg(feature = "client")]"# | r#"#[cfg(feature = "server")]"#
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn build_time_output_is_the_checked_in_crate() {
    assert_eq!(
        include_str!(concat!(env!("OUT_DIR"), "/sparkpost_subaccounts.rs")),
        ungated(include_str!(
            "../generated-client/src/sparkpost_subaccounts.rs"
        )) + "\n"
    );
    assert_eq!(
        include_str!(concat!(env!("OUT_DIR"), "/cakemail_partner.rs")),
        ungated(include_str!("../generated-client/src/cakemail_partner.rs")) + "\n"
    );
}

/// A build-time server: answers the summary, refuses the rest.
struct Summary;

fn refusal() -> sparkpost::types::ErrorResponse {
    sparkpost::types::ErrorResponse {
        errors: Some(vec![sparkpost::types::ErrorResponseError {
            message: Some("not in this test".into()),
            code: None,
            description: None,
        }]),
    }
}

impl sparkpost::server::Api for Summary {
    async fn list_subaccounts(
        &self,
        _: openapi_gen_runtime::server::Request,
        _: sparkpost::server::ListSubaccountsParams,
    ) -> sparkpost::server::Result<sparkpost::server::ListSubaccountsReply> {
        Ok(sparkpost::server::ListSubaccountsReply::Unauthorized(
            refusal(),
        ))
    }
    async fn create_subaccount(
        &self,
        _: openapi_gen_runtime::server::Request,
        _: sparkpost::types::SubaccountRequest,
    ) -> sparkpost::server::Result<sparkpost::server::CreateSubaccountReply> {
        Ok(sparkpost::server::CreateSubaccountReply::Unauthorized(
            refusal(),
        ))
    }
    async fn get_subaccounts_summary(
        &self,
        request: openapi_gen_runtime::server::Request,
    ) -> sparkpost::server::Result<sparkpost::server::GetSubaccountsSummaryReply> {
        if request.secret() != Some("k") {
            return Ok(sparkpost::server::GetSubaccountsSummaryReply::Unauthorized(
                refusal(),
            ));
        }
        Ok(sparkpost::server::GetSubaccountsSummaryReply::Ok(
            sparkpost::types::GetSubaccountsSummaryResponse {
                results: Some(sparkpost::types::GetSubaccountsSummaryResponseResults {
                    total: Some(7),
                }),
            },
        ))
    }
    async fn get_subaccount(
        &self,
        _: openapi_gen_runtime::server::Request,
        _: sparkpost::server::GetSubaccountParams,
    ) -> sparkpost::server::Result<sparkpost::server::GetSubaccountReply> {
        Ok(sparkpost::server::GetSubaccountReply::NotFound(refusal()))
    }
    async fn update_subaccount(
        &self,
        _: openapi_gen_runtime::server::Request,
        _: sparkpost::server::UpdateSubaccountParams,
        _: sparkpost::types::SubaccountUpdateRequest,
    ) -> sparkpost::server::Result<sparkpost::server::UpdateSubaccountReply> {
        Ok(sparkpost::server::UpdateSubaccountReply::NotFound(refusal()))
    }
}

#[tokio::test]
async fn build_time_client_and_server_talk() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        openapi_gen_runtime::server::axum::serve(listener, sparkpost::server::router(Summary))
            .await
            .unwrap()
    });
    let client = sparkpost::Client::new().with_base_url(&base);
    let total = client
        .clone()
        .with_api_key_auth("k")
        .get_subaccounts_summary()
        .await
        .unwrap()
        .results
        .unwrap()
        .total;
    assert_eq!(total, Some(7));
    let refused = client
        .with_api_key_auth("wrong")
        .get_subaccounts_summary()
        .await
        .unwrap_err();
    assert!(matches!(
        refused,
        openapi_gen_runtime::Error::Api { ref error, .. } if error.status == 401
    ));
}

#[tokio::test]
async fn build_time_clients_call_the_api() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subaccounts/summary"))
        .and(header("Authorization", "k"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": {"total": 3}})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/templates"))
        .and(query_param("account_id", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"pagination": {"page": 1, "per_page": 50, "count": 0}, "data": []}),
        ))
        .mount(&server)
        .await;
    let sp = sparkpost::Client::new()
        .with_base_url(server.uri())
        .with_api_key_auth("k");
    assert_eq!(
        sp.get_subaccounts_summary()
            .await
            .unwrap()
            .results
            .unwrap()
            .total,
        Some(3)
    );
    let cm = cakemail::Client::new()
        .with_base_url(server.uri())
        .with_bearer_auth("t")
        .for_account(5);
    let list: cakemail::types::TemplateList = cm.list_templates().await.unwrap();
    assert_eq!(list.pagination.count, 0);
}

#[test]
fn the_builder_reports_bad_specs_readably() {
    let dir = tempfile_dir();
    let err = openapi_gen::configure()
        .out_dir(&dir)
        .emit_rerun_if_changed(false)
        .generate("tests/fixtures/broken/dangling-ref.yaml")
        .unwrap_err();
    // `Debug` (what `main() -> Result` prints) is the CLI's diagnostic, not a struct dump.
    let shown = format!("{err:?}");
    assert!(
        shown.starts_with(
            "tests/fixtures/broken/dangling-ref.yaml:13:15: error: dangling reference"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("at #/paths/~1items/post/requestBody/content/application~1json/schema/$ref"),
        "{shown}"
    );
    assert!(
        std::fs::read_dir(&dir).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn the_builder_options() {
    let dir = tempfile_dir();
    let path = openapi_gen::configure()
        .out_dir(&dir)
        .emit_rerun_if_changed(false)
        .module_name("cm")
        .operations(["listCampaigns", "getCampaign"])
        .type_attribute("#[non_exhaustive]")
        .generate("specs/cakemail-partner.yaml")
        .unwrap();
    assert_eq!(path, dir.join("cm.rs"));
    let code = std::fs::read_to_string(&path).unwrap();
    assert!(code.contains("pub fn list_campaigns(") && code.contains("pub fn get_campaign("));
    assert!(!code.contains("pub fn create_campaign("));
    let campaign = code.find("pub struct Campaign {").unwrap();
    let before = &code[..campaign];
    let attr = before
        .rfind("#[non_exhaustive]")
        .expect("the attribute is on the type");
    assert!(
        !before[attr..].contains('}'),
        "the attribute belongs to Campaign"
    );
    let err = openapi_gen::configure()
        .out_dir(&dir)
        .emit_rerun_if_changed(false)
        .operations(["nope"])
        .generate("specs/cakemail-partner.yaml")
        .unwrap_err();
    assert!(err.to_string().contains("no operation \"nope\""), "{err}");
    let types_only = openapi_gen::configure()
        .out_dir(&dir)
        .emit_rerun_if_changed(false)
        .client(false)
        .module_name("t")
        .generate("specs/cakemail-partner.yaml")
        .unwrap();
    let code = std::fs::read_to_string(types_only).unwrap();
    assert!(code.contains("pub mod types") && !code.contains("pub struct Client"));
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "openapi-gen-build-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
