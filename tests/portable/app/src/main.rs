//! The generated client against the generated server, over 127.0.0.1, with nothing but the
//! generated crate (and its vendored runtime): authentication, typed parameters with their
//! defaults, pagination, typed errors, and a request the router refuses before the
//! implementation runs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::StreamExt;
use sparkpost_api::runtime::server::{axum, Request};
use sparkpost_api::sparkpost_subaccounts::{server, types, Client};

/// Three subaccounts, served two a page; counts the calls that reach it.
#[derive(Clone, Default)]
struct Accounts {
    calls: Arc<AtomicUsize>,
}

fn error(message: &str) -> types::ErrorResponse {
    types::ErrorResponse {
        errors: Some(vec![types::ErrorResponseError {
            message: Some(message.into()),
            ..Default::default()
        }]),
    }
}

impl server::Api for Accounts {
    async fn list_subaccounts(
        &self,
        request: Request,
        params: server::ListSubaccountsParams,
    ) -> server::Result<server::ListSubaccountsReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if request.secret() != Some("key") {
            return Ok(server::ListSubaccountsReply::Unauthorized(error("bad key")));
        }
        let start: i64 = params.cursor.as_deref().unwrap_or("0").parse().unwrap_or(0);
        let ids: Vec<i64> = (start..3).take(params.per_page as usize).collect();
        let next = ids
            .last()
            .filter(|&&last| last < 2)
            .map(|last| format!("/subaccounts?cursor={}", last + 1));
        Ok(server::ListSubaccountsReply::Ok(types::SubaccountsListResponse {
            results: Some(
                ids.into_iter()
                    .map(|id| types::SubaccountDetails {
                        id: Some(id),
                        name: Some(format!("account {id}")),
                        ..Default::default()
                    })
                    .collect(),
            ),
            total_count: Some(3),
            links: Some(types::SubaccountsListResponseLinks { next }),
        }))
    }

    async fn create_subaccount(
        &self,
        _: Request,
        _: types::SubaccountRequest,
    ) -> server::Result<server::CreateSubaccountReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(server::CreateSubaccountReply::Unauthorized(error("not here")))
    }

    async fn get_subaccounts_summary(&self, _: Request) -> server::Result<server::GetSubaccountsSummaryReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(server::GetSubaccountsSummaryReply::Ok(types::GetSubaccountsSummaryResponse {
            results: Some(types::GetSubaccountsSummaryResponseResults { total: Some(3) }),
        }))
    }

    async fn get_subaccount(
        &self,
        _: Request,
        params: server::GetSubaccountParams,
    ) -> server::Result<server::GetSubaccountReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(server::GetSubaccountReply::NotFound(error(&format!("no subaccount {}", params.id))))
    }

    async fn update_subaccount(
        &self,
        _: Request,
        _: server::UpdateSubaccountParams,
        _: types::SubaccountUpdateRequest,
    ) -> server::Result<server::UpdateSubaccountReply> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(server::UpdateSubaccountReply::NotFound(error("not here")))
    }
}

#[tokio::main]
async fn main() {
    let api = Accounts::default();
    let calls = api.calls.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, server::router(api)).await.unwrap() });

    let client = Client::new().with_base_url(&base).with_api_key_auth("key");

    // Every item of every page, following links.next.
    let names: Vec<String> = client
        .list_subaccounts()
        .per_page(2)
        .stream()
        .map(|item| item.unwrap().name.unwrap())
        .collect()
        .await;
    assert_eq!(names, ["account 0", "account 1", "account 2"]);

    let summary = client.get_subaccounts_summary().await.unwrap();
    assert_eq!(summary.results.unwrap().total, Some(3));

    // A documented error arrives typed, with its status.
    let missing = client.get_subaccount(41).await.unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));

    // A wrong key is the implementation's to refuse.
    let refused = client
        .clone()
        .with_api_key_auth("wrong")
        .list_subaccounts()
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(401));

    // Out of the spec's range: refused by the router, the implementation never sees it.
    let before = calls.load(Ordering::SeqCst);
    let invalid = client.list_subaccounts().per_page(1000).await.unwrap_err();
    assert_eq!(invalid.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(calls.load(Ordering::SeqCst), before);

    println!("portable-app: generated client and server agree over {base}");
}
