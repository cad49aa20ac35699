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

#[test]
fn build_time_output_is_the_checked_in_crate() {
    assert_eq!(
        include_str!(concat!(env!("OUT_DIR"), "/sparkpost_subaccounts.rs")),
        include_str!("../generated-client/src/sparkpost_subaccounts.rs")
    );
    assert_eq!(
        include_str!(concat!(env!("OUT_DIR"), "/cakemail_partner.rs")),
        include_str!("../generated-client/src/cakemail_partner.rs")
    );
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
