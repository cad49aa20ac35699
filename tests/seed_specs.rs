//! The two bundled specs: SparkPost's is restored faithfully from its seed, Cakemail's is
//! complete enough to drive a client, a server and a sandbox.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(name: &str) -> Value {
    serde_yaml::from_str(&read(&root().join("specs").join(name))).unwrap()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn sparkpost_spec_is_the_seed_restored() {
    let seed = root().join("../shared/seeds/002_f3c69c9da92c1fcc.txt");
    let restored = read(&root().join("specs/sparkpost-subaccounts.yaml"));
    assert_eq!(
        collapse(&restored),
        collapse(&read(&seed)),
        "the restored spec must differ from the seed only in white space"
    );
}

#[test]
fn sparkpost_spec_has_its_evident_structure() {
    let doc = yaml("sparkpost-subaccounts.yaml");
    let list = &doc["paths"]["/subaccounts"]["get"]["parameters"];
    let params = list.as_array().unwrap();
    assert_eq!(params.len(), 9);
    for p in params {
        let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["name", "in", "required", "description", "schema"],
            "{p}"
        );
    }
    let per_page = &params[2]["schema"];
    assert_eq!(
        (per_page["maximum"].as_i64(), per_page["default"].as_i64()),
        (Some(100), Some(25))
    );
    assert_eq!(params[3]["schema"]["enum"][0], "created_at");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "SubaccountRequest",
            "SubaccountUpdateRequest",
            "SubaccountDetails",
            "SubaccountCreateResponse",
            "SubaccountResponse",
            "SubaccountsListResponse",
            "ErrorResponse"
        ]
    );
    let list_props: Vec<&str> = schemas["SubaccountsListResponse"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(list_props, ["results", "total_count", "links"]);
    assert_eq!(
        doc["components"]["securitySchemes"]["ApiKeyAuth"]["in"],
        "header"
    );
    assert_eq!(
        doc["paths"]["/subaccounts/summary"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["properties"]["results"]["properties"]["total"]["type"],
        "integer"
    );
}

#[test]
fn cakemail_spec_covers_the_partner_api() {
    let doc = yaml("cakemail-partner.yaml");
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["servers"][0]["url"], "https://api.cakemail.dev");
    let bearer = &doc["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!(
        (bearer["type"].as_str(), bearer["scheme"].as_str()),
        (Some("http"), Some("bearer"))
    );

    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            for field in ["operationId", "summary", "tags", "responses"] {
                assert!(op.get(field).is_some(), "{method} {path} has no {field}");
            }
            ids.push(op["operationId"].as_str().unwrap().to_string());
        }
    }
    for id in [
        "createSubAccount",
        "listSubAccounts",
        "getSubAccount",
        "updateSubAccount",
        "suspendSubAccount",
        "unsuspendSubAccount",
        "deleteSubAccount",
    ] {
        assert!(ids.contains(&id.to_string()), "missing {id}");
    }
    for resource in ["Campaign", "List", "Contact", "Template"] {
        for verb in ["list", "create", "get", "update", "delete"] {
            let id = if verb == "list" {
                format!("list{resource}s")
            } else {
                format!("{verb}{resource}")
            };
            assert!(ids.contains(&id), "missing {id}");
        }
    }

    let create = &doc["components"]["schemas"]["CreateSubAccountRequest"];
    assert_eq!(
        create["required"],
        serde_json::json!(["company_name", "admin_email"])
    );
    assert_eq!(
        doc["components"]["schemas"]["CreateSubAccountResponse"]["properties"]["sub_account_id"]
            ["type"],
        "integer"
    );
    assert_eq!(
        doc["components"]["schemas"]["AccountStatus"]["enum"],
        serde_json::json!(["active", "suspended"])
    );
    let list = &doc["paths"]["/sub-accounts"]["get"];
    let refs: Vec<&str> = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["$ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        [
            "#/components/parameters/Page",
            "#/components/parameters/PerPage"
        ]
    );
    assert!(
        doc["paths"]["/sub-accounts/{sub_account_id}"]["delete"]["description"]
            .as_str()
            .unwrap()
            .contains("Permanently")
    );

    // One shared account_id parameter, referenced by every resource endpoint.
    let account = &doc["components"]["parameters"]["AccountId"];
    assert_eq!(
        (account["name"].as_str(), account["in"].as_str()),
        (Some("account_id"), Some("query"))
    );
    for path in [
        "/campaigns",
        "/campaigns/{campaign_id}",
        "/lists",
        "/lists/{list_id}",
        "/lists/{list_id}/contacts",
        "/lists/{list_id}/contacts/{contact_id}",
        "/templates",
        "/templates/{template_id}",
    ] {
        let item = &doc["paths"][path];
        let mut refs = item["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        for op in item.as_object().unwrap().values() {
            refs.extend(op["parameters"].as_array().into_iter().flatten());
        }
        assert!(
            refs.iter()
                .any(|p| p["$ref"] == "#/components/parameters/AccountId"),
            "{path} does not take account_id"
        );
    }
}

#[test]
fn both_specs_resolve_cleanly_through_the_library() {
    for spec in ["sparkpost-subaccounts.yaml", "cakemail-partner.yaml"] {
        let resolved = openapi_gen::load_file(&root().join("specs").join(spec)).unwrap();
        assert!(
            resolved.report.diagnostics.is_empty(),
            "{spec}: {:#?}",
            resolved.report.diagnostics
        );
    }
}
