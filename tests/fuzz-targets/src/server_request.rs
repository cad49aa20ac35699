//! Arbitrary method, path, query, headers and body → the generated routers of both bundled
//! specs: never a panic, never a 5xx. Each request goes either to the sandbox's
//! implementations or to implementations that record what they receive; every recorded call
//! is re-validated against the spec (its typed parameters and body, serialized back to JSON,
//! against the operation's schemas, built independently of the router from the spec files),
//! so an implementation is never called with input that fails the spec.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use arbitrary::{Arbitrary, Unstructured};
use jsonschema::error::ValidationErrorKind;
use openapi_gen_runtime::server::axum;
use openapi_gen_runtime::server::axum::body::Body;
use openapi_gen_runtime::server::axum::http::{Method, Request};
use serde_json::Value;
use tower::ServiceExt;

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW",
];
const PATHS: &[&str] = &[
    "/sparkpost/subaccounts",
    "/sparkpost/subaccounts/summary",
    "/sparkpost/subaccounts/",
    "/cakemail/sub-accounts",
    "/cakemail/sub-accounts/",
    "/cakemail/campaigns",
    "/cakemail/campaigns/",
    "/cakemail/lists/",
    "/cakemail/contacts",
    "/cakemail/templates/",
    "/",
    "",
];
const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=X",
    "text/plain",
    "application/merge-patch+json",
];
const CREDENTIALS: &[(&str, &str)] = &[
    ("authorization", "Bearer fuzz-secret"),
    ("authorization", "fuzz-secret"),
    ("authorization", "Basic Zm9vOmJhcg=="),
    ("authorization", "Bearer wrong"),
    ("x-api-key", "fuzz-secret"),
];

/// A request in the fuzzer's words.
#[derive(Debug, Arbitrary)]
struct Fuzzed {
    method: u8,
    path: u8,
    tail: String,
    query: String,
    content_type: Option<u8>,
    credential: Option<u8>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    json: bool,
    /// Served by the recording implementations rather than the sandbox.
    recorded: bool,
}

type App = (tokio::runtime::Runtime, axum::Router, axum::Router);

/// The runtime, the sandbox's router and the recording router.
fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let sandbox = sandbox::Sandbox::open(
            &sandbox::Storage::Memory,
            sandbox::Partners::new([("fuzz".to_string(), "fuzz-secret".to_string())]),
        )
        .expect("an in-memory sandbox");
        let router = sandbox.router(openapi_gen_runtime::server::Config::default());
        let recording = axum::Router::new()
            .nest(
                "/sparkpost",
                generated_client::sparkpost_subaccounts::server::router(Recorder),
            )
            .nest(
                "/cakemail",
                generated_client::cakemail_partner::server::router(Recorder),
            );
        (runtime, router, recording)
    })
}

/// A call an implementation received: the API's module, the method, and each argument after
/// the request serialized as JSON (`params` or `body`).
struct Call {
    module: &'static str,
    method: &'static str,
    args: Vec<(&'static str, Result<Value, String>)>,
}

static CALLS: Mutex<Vec<Call>> = Mutex::new(Vec::new());

/// Implementations of both APIs that record each call and refuse it with a 404 (which the
/// router renders in the spec's error shape).
struct Recorder;

macro_rules! recorder {
    ($module:ident { $($method:ident($($arg:ident: $ty:ty),*) -> $reply:ident;)* }) => {
        mod $module {
            use generated_client::$module::server::{Api, Error, Result};
            #[allow(unused_imports)]
            use generated_client::$module::server::*;
            #[allow(unused_imports)]
            use generated_client::$module::types;
            use openapi_gen_runtime::server::Request;

            impl Api for super::Recorder {
                $(
                    async fn $method(&self, _: Request, $($arg: $ty),*) -> Result<$reply> {
                        super::CALLS.lock().unwrap_or_else(|e| e.into_inner()).push(super::Call {
                            module: stringify!($module),
                            method: stringify!($method),
                            args: vec![$((
                                stringify!($arg),
                                serde_json::to_value(&$arg).map_err(|e| e.to_string()),
                            )),*],
                        });
                        Err(Error::not_found("recorded"))
                    }
                )*
            }
        }
    };
}

// The methods of both traits; the compiler checks the lists against the traits.
recorder!(sparkpost_subaccounts {
    list_subaccounts(params: ListSubaccountsParams) -> ListSubaccountsReply;
    create_subaccount(body: types::SubaccountRequest) -> CreateSubaccountReply;
    get_subaccounts_summary() -> GetSubaccountsSummaryReply;
    get_subaccount(params: GetSubaccountParams) -> GetSubaccountReply;
    update_subaccount(params: UpdateSubaccountParams, body: types::SubaccountUpdateRequest) -> UpdateSubaccountReply;
});

recorder!(cakemail_partner {
    list_sub_accounts(params: ListSubAccountsParams) -> ListSubAccountsReply;
    create_sub_account(body: types::CreateSubAccountRequest) -> CreateSubAccountReply;
    get_sub_account(params: GetSubAccountParams) -> GetSubAccountReply;
    delete_sub_account(params: DeleteSubAccountParams) -> DeleteSubAccountReply;
    update_sub_account(params: UpdateSubAccountParams, body: types::UpdateSubAccountRequest) -> UpdateSubAccountReply;
    suspend_sub_account(params: SuspendSubAccountParams) -> SuspendSubAccountReply;
    unsuspend_sub_account(params: UnsuspendSubAccountParams) -> UnsuspendSubAccountReply;
    list_campaigns(params: ListCampaignsParams) -> ListCampaignsReply;
    create_campaign(params: CreateCampaignParams, body: types::CreateCampaignRequest) -> CreateCampaignReply;
    get_campaign(params: GetCampaignParams) -> GetCampaignReply;
    delete_campaign(params: DeleteCampaignParams) -> DeleteCampaignReply;
    update_campaign(params: UpdateCampaignParams, body: types::UpdateCampaignRequest) -> UpdateCampaignReply;
    list_lists(params: ListListsParams) -> ListListsReply;
    create_list(params: CreateListParams, body: types::CreateListRequest) -> CreateListReply;
    get_list(params: GetListParams) -> GetListReply;
    delete_list(params: DeleteListParams) -> DeleteListReply;
    update_list(params: UpdateListParams, body: types::UpdateListRequest) -> UpdateListReply;
    list_contacts(params: ListContactsParams) -> ListContactsReply;
    create_contact(params: CreateContactParams, body: types::CreateContactRequest) -> CreateContactReply;
    get_contact(params: GetContactParams) -> GetContactReply;
    delete_contact(params: DeleteContactParams) -> DeleteContactReply;
    update_contact(params: UpdateContactParams, body: types::UpdateContactRequest) -> UpdateContactReply;
    list_templates(params: ListTemplatesParams) -> ListTemplatesReply;
    create_template(params: CreateTemplateParams, body: types::CreateTemplateRequest) -> CreateTemplateReply;
    get_template(params: GetTemplateParams) -> GetTemplateReply;
    delete_template(params: DeleteTemplateParams) -> DeleteTemplateReply;
    update_template(params: UpdateTemplateParams, body: types::UpdateTemplateRequest) -> UpdateTemplateReply;
});

/// `(module, method, argument)` → the validator of that argument, compiled from the spec
/// files through the generator's library (not from the generated code).
type Oracle = BTreeMap<(String, String, &'static str), jsonschema::Validator>;

fn oracle() -> &'static Oracle {
    static ORACLE: OnceLock<Oracle> = OnceLock::new();
    ORACLE.get_or_init(|| {
        use openapi_gen::emit::schema;
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
        let mut oracle = Oracle::new();
        for file in ["sparkpost-subaccounts.yaml", "cakemail-partner.yaml"] {
            let api = openapi_gen::load_file(&root.join(file))
                .expect("a bundled spec loads")
                .api;
            let defs = schema::defs(&api);
            let compile = |mut schema: Value| {
                if let Value::Object(map) = &mut schema {
                    map.insert("$defs".to_string(), defs.clone());
                }
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&schema)
                    .expect("a schema of a bundled spec compiles")
            };
            for op in &api.operations {
                let key = |arg| (api.module.clone(), op.rust_name.clone(), arg);
                if !op.parameters.is_empty() {
                    oracle.insert(key("params"), compile(schema::params(&api, op)));
                }
                if let Some(body) = &op.request_body {
                    let [content] = body.contents.as_slice() else {
                        panic!("the bundled specs have one media type per body");
                    };
                    oracle.insert(key("body"), compile(schema::use_site(&api, &content.ty)));
                }
            }
        }
        oracle
    })
}

/// Panics unless every recorded call's arguments pass the spec; how many calls there were.
fn check_calls() -> usize {
    let calls = std::mem::take(&mut *CALLS.lock().unwrap_or_else(|e| e.into_inner()));
    let count = calls.len();
    for call in calls {
        for (arg, value) in call.args {
            let key = (call.module.to_string(), call.method.to_string(), arg);
            let validator = oracle().get(&key).unwrap_or_else(|| {
                panic!("no schema for {key:?}: the recorder and the spec disagree")
            });
            let mut value = value.unwrap_or_else(|e| panic!("{key:?} does not serialize: {e}"));
            if arg == "params" {
                // An absent optional parameter is `None`, serialized as `null`.
                if let Value::Object(map) = &mut value {
                    map.retain(|_, v| !v.is_null());
                }
            }
            // A typed value keeps only the properties its type declares: a request object
            // that met `minProperties` with others (`{"": 1}`, which the spec allows) counts
            // fewer once typed. The wire object was checked; the count is not the type's.
            let failure = validator
                .iter_errors(&value)
                .find(|e| !matches!(e.kind(), ValidationErrorKind::MinProperties { .. }))
                .map(|e| format!("{e} at {}", e.instance_path()));
            if let Some(failure) = failure {
                panic!(
                    "{}::{} was called with {arg} {value} that fails the spec: {failure}",
                    call.module, call.method
                );
            }
        }
    }
    count
}

/// Serves the request `data` describes.
pub fn run(data: &[u8]) {
    let Ok(f) = Fuzzed::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let method = METHODS[usize::from(f.method) % METHODS.len()];
    let mut uri = format!("{}{}", PATHS[usize::from(f.path) % PATHS.len()], f.tail);
    if !f.query.is_empty() {
        uri = format!("{uri}?{}", f.query);
    }
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        return;
    };
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(i) = f.content_type {
        request = request.header(
            "content-type",
            CONTENT_TYPES[usize::from(i) % CONTENT_TYPES.len()],
        );
    }
    if let Some(i) = f.credential {
        let (k, v) = CREDENTIALS[usize::from(i) % CREDENTIALS.len()];
        request = request.header(k, v);
    }
    for (k, v) in &f.headers {
        request = request.header(k.as_str(), v.as_str());
    }
    // Half of the bodies are JSON the fuzzer shapes, which gets past the first checks.
    let body = if f.json {
        serde_json::from_slice::<serde_json::Value>(&f.body)
            .map(|v| v.to_string().into_bytes())
            .unwrap_or(f.body)
    } else {
        f.body
    };
    let Ok(request) = request.body(Body::from(body)) else {
        return;
    };
    let (runtime, sandbox, recording) = app();
    let router = if f.recorded { recording } else { sandbox };
    let response = runtime
        .block_on(router.clone().oneshot(request))
        .expect("a router never fails");
    check_calls();
    let status = response.status();
    assert!(
        !status.is_server_error(),
        "the router answered {status} to a request it should have judged"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(request: Request<Body>) -> u16 {
        let (runtime, _, recording) = app();
        let response = runtime
            .block_on(recording.clone().oneshot(request))
            .expect("a router never fails");
        response.status().as_u16()
    }

    #[test]
    fn a_valid_request_reaches_the_recorder_and_passes_the_oracle() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let request = Request::put("/sparkpost/subaccounts/7")
            .header("authorization", "fuzz-secret")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"name":"Acme","status":"suspended"}"#))
            .unwrap();
        assert_eq!(send(request), 404, "the recorder refuses every call");
        assert_eq!(check_calls(), 1);
        // An invalid one never reaches it.
        let long = "x".repeat(65);
        let request = Request::post("/sparkpost/subaccounts")
            .header("authorization", "fuzz-secret")
            .header("content-type", "application/json")
            .body(Body::from(serde_json::json!({ "name": long }).to_string()))
            .unwrap();
        assert_eq!(send(request), 400);
        assert_eq!(check_calls(), 0);
    }

    #[test]
    #[should_panic(expected = "fails the spec")]
    fn a_call_with_input_that_fails_the_spec_is_caught() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        CALLS.lock().unwrap().push(Call {
            module: "sparkpost_subaccounts",
            method: "create_subaccount",
            args: vec![("body", Ok(serde_json::json!({ "name": "x".repeat(65) })))],
        });
        check_calls();
    }

    /// The tests share the recorder's log.
    static SERIAL: Mutex<()> = Mutex::new(());
}
