//! The two bundled specs: SparkPost's is restored from its seed (plus the error responses a
//! validating server needs), Cakemail's is
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

/// JSON pointers of the values in `spec` that `seed` does not have, and of the values that
/// differ (prefixed with `changed `).
fn additions(seed: &Value, spec: &Value, at: &str, out: &mut Vec<String>) {
    match (seed, spec) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match a.get(k) {
                    Some(old) => additions(old, v, &here, out),
                    None => out.push(here),
                }
            }
            for k in a.keys().filter(|k| !b.contains_key(*k)) {
                out.push(format!("removed {at}/{k}"));
            }
        }
        (a, b) if a != b => out.push(format!("changed {at}")),
        _ => {}
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The spec's text without the responses marked as added (a comment line, then the six
/// lines of the response).
fn without_additions(text: &str) -> String {
    let mut out = Vec::new();
    let mut skip = 0;
    for line in text.lines() {
        if line.trim_start().starts_with("# Not in the seed:") {
            skip = 6;
            continue;
        }
        if skip > 0 {
            skip -= 1;
            continue;
        }
        out.push(line);
    }
    out.join("\n")
}

#[test]
fn sparkpost_spec_is_the_seed_plus_its_error_responses() {
    let seed_text = read(&root().join("specs/seeds/002_f3c69c9da92c1fcc.txt"));
    let spec_text = read(&root().join("specs/sparkpost-subaccounts.yaml"));
    let original = without_additions(&spec_text);
    assert_eq!(
        collapse(&original),
        collapse(&seed_text),
        "without the marked additions, the spec differs from the seed only in white space"
    );
    let seed: Value = serde_yaml::from_str(&original).unwrap();
    let spec = yaml("sparkpost-subaccounts.yaml");
    let mut added = Vec::new();
    additions(&seed, &spec, "", &mut added);
    // The seed documents only some error statuses; a server that validates requests and
    // authenticates must answer 400/401/404 with SparkPost's `ErrorResponse`, so those (and
    // nothing else) were added.
    assert_eq!(
        added,
        [
            "/paths/~1subaccounts/post/responses/401",
            "/paths/~1subaccounts/get/responses/400",
            "/paths/~1subaccounts/get/responses/401",
            "/paths/~1subaccounts~1summary/get/responses/401",
            "/paths/~1subaccounts~1{id}/get/responses/400",
            "/paths/~1subaccounts~1{id}/get/responses/401",
            "/paths/~1subaccounts~1{id}/get/responses/404",
            "/paths/~1subaccounts~1{id}/put/responses/401",
            "/paths/~1subaccounts~1{id}/put/responses/404",
        ]
    );
    for pointer in &added {
        let response = spec.pointer(pointer).unwrap();
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorResponse",
            "{pointer}"
        );
    }
    // Everything of the seed is there, as it was.
    let mut missing = Vec::new();
    additions(&spec, &seed, "", &mut missing);
    assert!(
        missing.iter().all(|m| !m.starts_with("changed")),
        "{missing:?}"
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
