//! The resolved model of each seed spec, as `openapi-gen inspect` prints it. A change here is
//! a change to what every emitter sees: review it as such.

use std::path::Path;

fn model(spec: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs")
        .join(spec);
    let resolved = openapi_gen::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        resolved.report.diagnostics.is_empty(),
        "{:#?}",
        resolved.report.diagnostics
    );
    openapi_gen::dump::render(&resolved.api)
}

#[test]
fn sparkpost_subaccounts_model() {
    insta::assert_snapshot!(model("sparkpost-subaccounts.yaml"));
}

#[test]
fn cakemail_partner_model() {
    insta::assert_snapshot!(model("cakemail-partner.yaml"));
}
