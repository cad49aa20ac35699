//! Arbitrary status, headers and body → every generated response decoder of the bundled
//! specs: `Ok` or a typed `Error`, never a panic.

use arbitrary::{Arbitrary, Unstructured};
use generated_client::{cakemail_partner as cakemail, sparkpost_subaccounts as sparkpost};
use openapi_gen_runtime::reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use openapi_gen_runtime::reqwest::StatusCode;
use openapi_gen_runtime::{Operation, RawResponse};

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "application/problem+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=X",
    "multipart/form-data",
    "application/octet-stream",
    "",
    "*/*",
];

/// A response in the fuzzer's words.
#[derive(Debug, Arbitrary)]
struct Response {
    status: u16,
    content_type: u8,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

macro_rules! decode_all {
    ($raw:expr, $($module:ident :: { $($op:ident),* $(,)? }),*) => {
        $($(
            let _ = <$module::ops::$op as Operation>::decode($raw.clone());
        )*)*
    };
}

/// Decodes the response `data` describes with every decoder.
pub fn run(data: &[u8]) {
    let Ok(r) = Response::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let Ok(status) = StatusCode::from_u16(100 + r.status % 900) else {
        return;
    };
    let mut headers = HeaderMap::new();
    let ct = CONTENT_TYPES[usize::from(r.content_type) % CONTENT_TYPES.len()];
    if !ct.is_empty() {
        headers.insert("content-type", HeaderValue::from_static(ct));
    }
    for (k, v) in &r.headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::try_from(k.as_str()),
            HeaderValue::try_from(v.as_str()),
        ) {
            headers.append(k, v);
        }
    }
    let raw = RawResponse {
        operation: "fuzz",
        status,
        headers,
        body: r.body.into(),
    };
    decode_all!(
        raw,
        sparkpost::{
            ListSubaccounts, CreateSubaccount, GetSubaccountsSummary, GetSubaccount,
            UpdateSubaccount
        },
        cakemail::{
            ListSubAccounts, CreateSubAccount, GetSubAccount, DeleteSubAccount, UpdateSubAccount,
            SuspendSubAccount, UnsuspendSubAccount, ListCampaigns, CreateCampaign, GetCampaign,
            DeleteCampaign, UpdateCampaign, ListLists, CreateList, GetList, DeleteList,
            UpdateList, ListContacts, CreateContact, GetContact, DeleteContact, UpdateContact,
            ListTemplates, CreateTemplate, GetTemplate, DeleteTemplate, UpdateTemplate
        }
    );
}
