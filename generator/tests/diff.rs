//! `openapi-gen diff OLD NEW`: every rule on a pair of specs written for it
//! (`tests/fixtures/diff/`), the three output formats, the exit codes, and the bundled specs
//! against edited copies.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = openapi_gen::cli::run(args.iter().copied(), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/diff")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn diff(old: &str, new: &str, format: &str) -> (i32, String) {
    let (code, out, err) = run(&["openapi-gen", "diff", old, new, "--format", format]);
    assert!(err.is_empty(), "{err}");
    (code, out)
}

/// (rule, breaking) of each change, from the JSON output.
fn rules(json: &str) -> BTreeSet<(String, bool)> {
    let doc: serde_json::Value = serde_json::from_str(json).unwrap();
    doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap().to_string(),
                c["breaking"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_rule_is_classified() {
    let (code, json) = diff(&fixture("old.yaml"), &fixture("new.yaml"), "json");
    assert_eq!(code, 1, "breaking changes exit 1");
    let expected: BTreeSet<(String, bool)> = [
        // Operations.
        ("operation-removed", true),
        ("operation-moved", true),
        ("operation-renamed", true),
        ("operation-added", false),
        ("operation-deprecated", false),
        // Parameters.
        ("parameter-added-required", true),
        ("parameter-added-optional", false),
        ("parameter-removed", true),
        ("parameter-location-changed", true),
        ("parameter-became-required", true),
        ("parameter-became-optional", false),
        ("path-parameter-renamed", false),
        ("type-format-changed", false), // int32 → int64 sent: the server takes more
        ("constraint-tightened", true), // maximum 100 → 50 sent
        // Request bodies and types.
        ("request-body-added-required", true),
        ("request-body-added-optional", false),
        ("request-body-removed", true),
        ("request-body-became-required", true),
        ("request-media-type-removed", true),
        ("request-media-type-added", false),
        ("field-added-required", true), // in a request
        ("field-added-optional", false),
        ("field-became-required", true),  // in a request
        ("field-became-optional", false), // in a request
        ("null-no-longer-allowed", true),
        ("pattern-changed", true),
        ("constraint-loosened", false), // maxLength 50 → 100 sent
        ("enum-value-removed", true),   // from a request
        ("enum-value-added", false),
        // Responses and types.
        ("success-status-removed", true),
        ("success-status-added", false),
        ("error-status-removed", false),
        ("error-status-added", false),
        ("response-media-type-removed", true),
        ("response-media-type-added", false),
        ("response-header-removed", true),  // a required one
        ("response-header-removed", false), // an optional one
        ("response-header-became-optional", true),
        ("response-header-added", false),
        ("field-removed", true),
        ("field-became-optional", true), // in a response: may be absent
        ("field-became-required", false), // in a response
        ("field-added-required", false), // in a response
        ("may-be-null", true),
        ("type-changed", true),
        ("type-format-changed", true), // int32 → int64 received: may not fit
        ("enum-value-removed", false), // from a response
        ("union-variant-added", true), // untagged, in a response: unreadable
        ("union-variant-added", false), // tagged: kept as the catch-all
        ("union-variant-removed", false),
        // Security.
        ("security-added", true),
        ("security-changed", true),
        ("security-alternative-added", false),
        ("security-removed", false),
    ]
    .into_iter()
    .map(|(r, b)| (r.to_string(), b))
    .collect();
    let found = rules(&json);
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:?}\nunexpected: {unexpected:?}"
    );
}

#[test]
fn text_report_is_one_line_a_change_with_both_pointers() {
    let (code, text) = diff(&fixture("old.yaml"), &fixture("new.yaml"), "text");
    assert_eq!(code, 1);
    // Breaking first; each line names the operation or schema and both pointers.
    assert!(text.starts_with("breaking: "), "{text}");
    assert!(text.contains(
        "breaking: GET /pets (listPets): required parameter `species` (query) added [old -, new #/paths/~1pets/get/parameters/3]\n"
    ), "{text}");
    assert!(text.contains(
        "breaking: schema Animal (responses): field `weight`: type changed from f64 to string [old #/components/schemas/Pet/properties/weight, new #/components/schemas/Animal/properties/weight]\n"
    ), "{text}");
    assert!(text.contains(
        "non-breaking: GET /pets/{id} (getPet): parameter `petId` (path) renamed to `id` [old #/paths/~1pets~1{petId}/get/parameters/0, new #/paths/~1pets~1{id}/get/parameters/0]\n"
    ), "{text}");
    assert!(text.contains(
        "non-breaking: schema Kind (responses): enum values added: \"fish\" (old clients read them as `Unknown`)"
    ), "{text}");
    // A schema renamed (Pet → Animal) is matched where it is used: no "removed" for it.
    assert!(!text.contains("schema Pet "), "{text}");
    let last = text.lines().last().unwrap();
    let breaking = text.lines().filter(|l| l.starts_with("breaking: ")).count();
    let other = text
        .lines()
        .filter(|l| l.starts_with("non-breaking: "))
        .count();
    assert_eq!(last, format!("{breaking} breaking, {other} non-breaking"));
    insta::assert_snapshot!("diff_fixture_text", text);
}

#[test]
fn markdown_and_json_say_the_same() {
    let (_, json) = diff(&fixture("old.yaml"), &fixture("new.yaml"), "json");
    let (code, md) = diff(&fixture("old.yaml"), &fixture("new.yaml"), "markdown");
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (b, n) = (
        doc["breaking"].as_u64().unwrap(),
        doc["non_breaking"].as_u64().unwrap(),
    );
    assert!(
        md.starts_with(&format!(
            "### API changes: {b} breaking, {n} non-breaking\n"
        )),
        "{md}"
    );
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| **breaking** |"))
        .count();
    assert_eq!(rows as u64, b);
    let rows = md.lines().filter(|l| l.starts_with("|  |")).count();
    assert_eq!(rows as u64, n);
    assert!(md.contains(
        "| **breaking** | DELETE /pets/{petId} (deletePet) | operation removed | `#/paths/~1pets~1{petId}/delete` |  |"
    ), "{md}");
    let first = &doc["changes"][0];
    assert_eq!(first["breaking"], true);
    assert!(first["old"].is_string() && first["subject"].is_string());
}

#[test]
fn the_same_spec_has_no_changes() {
    let spec = root().join("specs/cakemail-partner.yaml");
    let spec = spec.to_str().unwrap();
    let (code, text) = diff(spec, spec, "text");
    assert_eq!((code, text.as_str()), (0, "0 breaking, 0 non-breaking\n"));
    let (code, md) = diff(spec, spec, "markdown");
    assert_eq!(code, 0);
    assert!(md.contains("No changes"), "{md}");
}

#[test]
fn unreadable_or_broken_specs_exit_2() {
    let good = root().join("specs/sparkpost-subaccounts.yaml");
    let (code, _, err) = run(&[
        "openapi-gen",
        "diff",
        good.to_str().unwrap(),
        "/nonexistent/spec.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/spec.yaml"), "{err}");
    let broken = root().join("tests/fixtures/broken/dangling-ref.yaml");
    let (code, _, err) = run(&[
        "openapi-gen",
        "diff",
        good.to_str().unwrap(),
        broken.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("dangling reference") && err.contains("has errors"),
        "{err}"
    );
}

/// Writes `spec` edited by `edit` to a temporary file and diffs the original against it.
fn diff_edited(spec: &str, edit: impl FnOnce(&mut Value)) -> (i32, String) {
    diff_edited_at(&root().join("specs").join(spec), edit)
}

/// [`diff_edited`] for any spec in the repository.
fn diff_edited_at(path: &Path, edit: impl FnOnce(&mut Value)) -> (i32, String) {
    let spec = path.file_name().unwrap();
    let mut doc: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut doc);
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join(spec);
    std::fs::write(&edited, serde_yaml::to_string(&doc).unwrap()).unwrap();
    diff(path.to_str().unwrap(), edited.to_str().unwrap(), "text")
}

fn at<'v>(doc: &'v mut Value, path: &[&str]) -> &'v mut Value {
    path.iter().fold(doc, |v, k| match k.parse::<usize>() {
        Ok(i) if v.is_sequence() => &mut v[i],
        _ => &mut v[*k],
    })
}

#[test]
fn bundled_specs_against_edited_copies() {
    // SparkPost: an operation removed.
    let (code, text) = diff_edited("sparkpost-subaccounts.yaml", |doc| {
        at(doc, &["paths", "/subaccounts/{id}"])
            .as_mapping_mut()
            .unwrap()
            .remove("put");
    });
    assert_eq!(code, 1, "{text}");
    assert!(
        text.starts_with(
            "breaking: PUT /subaccounts/{id} (updateSubaccount): operation removed [old #/paths/~1subaccounts~1{id}/put, new -]\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("1 breaking, 0 non-breaking\n"), "{text}");

    // SparkPost: an optional query parameter added is not breaking.
    let (code, text) = diff_edited("sparkpost-subaccounts.yaml", |doc| {
        let params = at(doc, &["paths", "/subaccounts", "get", "parameters"]);
        params.as_sequence_mut().unwrap().push(
            serde_yaml::from_str("{name: region, in: query, schema: {type: string}}").unwrap(),
        );
    });
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(
            "non-breaking: GET /subaccounts (listSubaccounts): optional parameter `region` (query) added"
        ),
        "{text}"
    );

    // Cakemail: a request field made required (breaking), a value added to a response enum
    // (not breaking: generated enums keep unknown values).
    let (code, text) = diff_edited("cakemail-partner.yaml", |doc| {
        let schemas = at(doc, &["components", "schemas"]);
        schemas["UpdateSubAccountRequest"]["required"] =
            serde_yaml::from_str("[company_name]").unwrap();
        schemas["AccountStatus"]["enum"] =
            serde_yaml::from_str("[active, suspended, closed]").unwrap();
    });
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(
            "breaking: schema UpdateSubAccountRequest (requests): field `company_name` became required [old #/components/schemas/UpdateSubAccountRequest/properties/company_name, new #/components/schemas/UpdateSubAccountRequest/properties/company_name]\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "non-breaking: schema AccountStatus (responses): enum values added: \"closed\" (old clients read them as `Unknown`)"
        ),
        "{text}"
    );
    assert!(text.ends_with("1 breaking, 1 non-breaking\n"), "{text}");
}

/// The README's `diff` example is what the tool prints for the edit it describes.
#[test]
fn the_readme_example_is_what_diff_prints() {
    let old = root().join("specs/sparkpost-subaccounts.yaml");
    let text = std::fs::read_to_string(&old).unwrap();
    // `GET /subaccounts/{id}` takes a string `id`; `SubaccountDetails` gains `region`.
    let get = text.find("  /subaccounts/{id}:\n    get:").unwrap();
    let ty = get + text[get..].find("type: integer").unwrap();
    let mut edited = format!(
        "{}type: string{}",
        &text[..ty],
        &text[ty + "type: integer".len()..]
    );
    let details = edited
        .find("    SubaccountDetails:\n      type: object\n      properties:\n")
        .unwrap()
        + "    SubaccountDetails:\n      type: object\n      properties:\n".len();
    edited.insert_str(details, "        region:\n          type: string\n");
    let dir = std::env::temp_dir().join(format!("openapi-gen-readme-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let new = dir.join("sparkpost-subaccounts.yaml");
    std::fs::write(&new, edited).unwrap();
    let (code, out) = diff(old.to_str().unwrap(), new.to_str().unwrap(), "text");
    assert_eq!(code, 1);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme
        .split("<!-- example: diff -->\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md has the diff example");
    assert_eq!(block, out);
    let _ = std::fs::remove_dir_all(dir);
}

/// Streams: their items are compared as bodies, and what ends them and the body property
/// that asks for them are changes of their own.
#[test]
fn streams_against_edited_copies() {
    let spec = root().join("tests/fixtures/codegen/streams.yaml");
    let (code, text) = diff_edited_at(&spec, |doc| {
        let sse = at(
            doc,
            &[
                "paths",
                "/chat/completions",
                "post",
                "responses",
                "200",
                "content",
                "text/event-stream",
            ],
        );
        sse["x-openapi-gen-stream-end"] = "[END]".into();
        // The chat request no longer asks for a stream by a property.
        at(doc, &["components", "schemas", "ChatRequest", "properties"])
            .as_mapping_mut()
            .unwrap()
            .remove("stream");
    });
    assert_eq!(code, 1, "{text}");
    for expected in [
        "breaking: POST /chat/completions (createChatCompletion): response 200 `text/event-stream`: the stream now ends at `[END]` (was `[DONE]`) [old #/paths/~1chat~1completions/post/responses/200/content/text~1event-stream/schema",
        "breaking: POST /chat/completions (createChatCompletion): the body property that asked for a stream is gone: the client's `.stream()` call with it [old #/paths/~1chat~1completions/post, new -]",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in\n{text}");
    }

    // A field removed from the items of a JSON Lines export breaks its readers.
    let (code, text) = diff_edited_at(&spec, |doc| {
        let item = at(
            doc,
            &[
                "paths",
                "/exports/contacts",
                "get",
                "responses",
                "200",
                "content",
            ],
        );
        let media = item
            .as_mapping()
            .unwrap()
            .keys()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        assert!(media.contains("json"), "{media}");
        item[media.as_str()]["x-openapi-gen-stream-end"] = "END".into();
    });
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("the stream now ends at `END` (was the end of the body)"),
        "{text}"
    );
}

/// Webhooks are seen from their receiver: a payload is read as a response is, so what
/// breaks a client's request does not break it, and the other way round.
#[test]
fn webhooks_against_edited_copies() {
    let spec = root().join("tests/fixtures/codegen/webhooks.yaml");
    let (code, text) = diff_edited_at(&spec, |doc| {
        let schemas = at(doc, &["components", "schemas"]);
        // `reason` is no longer always sent: a receiver that reads it breaks.
        schemas["Bounced"]["required"] = serde_yaml::from_str("[type, message_id]").unwrap();
        // A new required field in a payload: a receiver ignores it.
        schemas["Delivered"]["required"] =
            serde_yaml::from_str("[type, message_id, delivered_at]").unwrap();
        schemas["Delivered"]["properties"]["delivered_at"] =
            serde_yaml::from_str("{type: string, format: date-time}").unwrap();
        // The delivery header became required: what the API sends, not what it reads.
        at(
            doc,
            &["webhooks", "messageDelivered", "post", "parameters", "0"],
        )["required"] = true.into();
        // A callback's body may be absent: its receiver, which reads it, breaks.
        at(
            doc,
            &[
                "paths",
                "/subscriptions",
                "post",
                "callbacks",
                "onEvent",
                "{$request.body#/url}",
                "post",
                "requestBody",
            ],
        )["required"] = false.into();
        // One webhook gone, one new.
        let hooks = at(doc, &["webhooks"]).as_mapping_mut().unwrap();
        let bounced = hooks.remove("messageBounced").unwrap();
        hooks.insert("messageOpened".into(), bounced);
    });
    assert_eq!(code, 1, "{text}");
    for expected in [
        "breaking: webhook POST /messageBounced: webhook removed [old #/webhooks/messageBounced/post, new -]",
        "non-breaking: webhook POST /messageOpened: webhook added [old -, new #/webhooks/messageOpened/post]",
        "non-breaking: webhook POST /messageDelivered (messageDelivered): parameter `X-Delivery-Attempt` (header) became required",
        "non-breaking: schema Delivered (responses): required field `delivered_at` added",
        "breaking: schema Bounced (responses): field `reason` became optional",
        "breaking: callback POST /onEvent: request body became optional",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in\n{text}");
    }
}
