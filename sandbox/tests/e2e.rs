//! The generated clients against the sandbox over 127.0.0.1: both APIs through their whole
//! lifecycle, authentication, scoping, validation, and persistence across restarts.

use std::collections::BTreeMap;

use futures::StreamExt;
use generated_client::{cakemail_partner as cakemail, sparkpost_subaccounts as sparkpost};
use openapi_gen_runtime::server::Config;
use openapi_gen_runtime::Error as RtError;
use sandbox::{Partners, Sandbox, Storage};

struct Running {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start(storage: Storage) -> Running {
    let partners = Partners::new([
        ("acme".to_string(), "secret-acme".to_string()),
        ("globex".to_string(), "secret-globex".to_string()),
    ]);
    let sandbox = Sandbox::open(&storage, partners).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = sandbox.router(Config::default().body_limit(64 * 1024));
    let task = tokio::spawn(async move {
        openapi_gen_runtime::server::axum::serve(listener, app)
            .await
            .unwrap();
    });
    Running { base, task }
}

fn sparkpost_client(base: &str, key: &str) -> sparkpost::Client {
    sparkpost::Client::new()
        .with_base_url(format!("{base}/sparkpost"))
        .with_api_key_auth(key)
}

fn cakemail_client(base: &str, token: &str) -> cakemail::Client {
    cakemail::Client::new()
        .with_base_url(format!("{base}/cakemail"))
        .with_bearer_auth(token)
}

fn status<E>(e: &RtError<E>) -> u16 {
    match e {
        RtError::Api { error, .. } => error.status.as_u16(),
        other => panic!("expected an API error, got {other}"),
    }
}

/// The documented error body.
fn body_of<E: Clone>(e: &RtError<E>) -> Option<E> {
    match e {
        RtError::Api { error, .. } => error.body.clone(),
        _ => None,
    }
}

/// The error body as received.
fn raw_text<E>(e: &RtError<E>) -> String {
    match e {
        RtError::Api { error, .. } => String::from_utf8_lossy(&error.raw).into_owned(),
        other => panic!("expected an API error, got {other}"),
    }
}

fn sparkpost_message(body: &sparkpost::types::ErrorResponse) -> String {
    body.errors.as_ref().unwrap()[0].message.clone().unwrap()
}

#[tokio::test]
async fn sparkpost_lifecycle() {
    let server = start(Storage::Memory).await;
    let partner = sparkpost_client(&server.base, "secret-acme");

    // Create five subaccounts; each gets an API key, shown once.
    let mut keys = BTreeMap::new();
    for (i, name) in ["Alpha", "Beta", "Gamma", "Delta", "Alphabet"]
        .iter()
        .enumerate()
    {
        let created = partner
            .create_subaccount(sparkpost::types::SubaccountRequest {
                name: name.to_string(),
                ip_pool: Some(if i % 2 == 0 { "shared" } else { "dedicated" }.into()),
                setup_api_key: None,
                key_label: Some(format!("{name} key")),
                key_grants: Some(vec!["smtp/inject".into()]),
                key_valid_ips: None,
                options: Some(sparkpost::types::SubaccountOptions {
                    deliverability: Some(i == 0),
                }),
            })
            .await
            .unwrap();
        let results = created.results.unwrap();
        let key = results.key.unwrap();
        assert_eq!(results.short_key.as_deref(), Some(&key[..4]));
        keys.insert(results.subaccount_id.unwrap(), key);
    }
    let ids: Vec<i64> = keys.keys().copied().collect();

    // Listed newest first (the spec's default order), across pages of two.
    let listed: Vec<_> = partner
        .list_subaccounts()
        .per_page(2)
        .stream()
        .map(|r| r.unwrap().id.unwrap())
        .collect()
        .await;
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);
    let page = partner.list_subaccounts().per_page(2).await.unwrap();
    assert_eq!(page.total_count, Some(5));
    let next = page.links.unwrap().next.unwrap();
    assert!(next.contains("cursor="), "{next}");
    // The link is a path from the server's root, where the API is mounted: following it
    // as it is gives the next page.
    assert!(next.starts_with("/sparkpost/subaccounts?"), "{next}");
    let second = openapi_gen_runtime::reqwest::Client::new()
        .get(format!("{}{next}", server.base))
        .header("Authorization", "secret-acme")
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 200);
    let second: serde_json::Value = second.json().await.unwrap();
    assert_eq!(
        second["results"].as_array().map(Vec::len),
        Some(2),
        "{second}"
    );

    // Filters and sorting.
    let names = |page: sparkpost::types::SubaccountsListResponse| -> Vec<String> {
        page.results
            .unwrap()
            .into_iter()
            .map(|s| s.name.unwrap())
            .collect()
    };
    let by_name = partner
        .list_subaccounts()
        .name("alpha")
        .sort_by(sparkpost::types::ListSubaccountsSortBy::Name)
        .order(sparkpost::types::ListSubaccountsOrder::Asc)
        .await
        .unwrap();
    assert_eq!(names(by_name), ["Alpha", "Alphabet"]);
    let by_ids = partner
        .list_subaccounts()
        .ids(format!("{},{}", ids[1], ids[3]))
        .order(sparkpost::types::ListSubaccountsOrder::Asc)
        .await
        .unwrap();
    assert_eq!(names(by_ids), ["Beta", "Delta"]);
    let by_pool = partner
        .list_subaccounts()
        .ip_pool("dedicated")
        .await
        .unwrap();
    assert_eq!(by_pool.total_count, Some(2));
    let deliverability = partner
        .list_subaccounts()
        .option(sparkpost::types::ListSubaccountsOption::Deliverability)
        .await
        .unwrap();
    assert_eq!(names(deliverability), ["Alpha"]);
    let summary = partner.get_subaccounts_summary().await.unwrap();
    assert_eq!(summary.results.unwrap().total, Some(5));

    // Update: name, status, IP pool unassigned with "".
    partner
        .update_subaccount(
            ids[1],
            sparkpost::types::SubaccountUpdateRequest {
                name: Some("Beta Two".into()),
                status: Some(sparkpost::types::Status::Suspended),
                ip_pool: Some(String::new()),
                options: None,
            },
        )
        .await
        .unwrap();
    let beta = partner
        .get_subaccount(ids[1])
        .await
        .unwrap()
        .results
        .unwrap();
    assert_eq!(beta.name.as_deref(), Some("Beta Two"));
    assert_eq!(beta.status.as_deref(), Some("suspended"));
    assert_eq!(beta.ip_pool, None);
    let suspended = partner
        .list_subaccounts()
        .status(sparkpost::types::Status::Suspended)
        .await
        .unwrap();
    assert_eq!(names(suspended), ["Beta Two"]);

    // An issued key authenticates as its subaccount, and sees only it.
    let alpha = sparkpost_client(&server.base, &keys[&ids[0]]);
    let own = alpha.list_subaccounts().await.unwrap();
    assert_eq!(names(own), ["Alpha"]);
    assert_eq!(
        alpha
            .get_subaccount(ids[0])
            .await
            .unwrap()
            .results
            .unwrap()
            .id,
        Some(ids[0])
    );
    let other = alpha.get_subaccount(ids[2]).await.unwrap_err();
    assert_eq!(status(&other), 404);
    let cannot_create = alpha
        .create_subaccount(sparkpost::types::SubaccountRequest {
            name: "Nope".into(),
            ip_pool: None,
            setup_api_key: Some(false),
            key_label: None,
            key_grants: None,
            key_valid_ips: None,
            options: None,
        })
        .await
        .unwrap_err();
    // A valid key that may not do this: 403 (the spec forgot it), not 401.
    assert_eq!(status(&cannot_create), 403);
    assert!(raw_text(&cannot_create).contains("only a partner key"));
    // The suspended subaccount's key is refused.
    let beta_key = sparkpost_client(&server.base, &keys[&ids[1]]);
    let refused = beta_key.get_subaccount(ids[1]).await.unwrap_err();
    assert_eq!(status(&refused), 401);
    assert!(raw_text(&refused).contains("suspended"), "{refused:?}");

    // Other partners see nothing of these; unknown keys are refused.
    let globex = sparkpost_client(&server.base, "secret-globex");
    assert_eq!(
        status(&globex.get_subaccount(ids[0]).await.unwrap_err()),
        404
    );
    assert_eq!(
        globex
            .get_subaccounts_summary()
            .await
            .unwrap()
            .results
            .unwrap()
            .total,
        Some(0)
    );
    let stranger = sparkpost_client(&server.base, "not-a-key");
    let e = stranger.list_subaccounts().await.unwrap_err();
    assert_eq!(status(&e), 401);
    let Some(sparkpost::ops::ListSubaccountsError::Unauthorized(body)) = body_of(&e) else {
        panic!("{e:?}")
    };
    assert_eq!(sparkpost_message(&body), "invalid API key");

    // Invalid input is rejected in SparkPost's error shape, naming what is wrong.
    let e = partner.list_subaccounts().per_page(500).await.unwrap_err();
    assert_eq!(status(&e), 400);
    let message = sparkpost_message(&body_of(&e).unwrap().into_error_response());
    assert!(
        message.contains("per_page") && message.contains("100"),
        "{message}"
    );
    let e = partner
        .create_subaccount(sparkpost::types::SubaccountRequest {
            name: "x".repeat(65),
            ip_pool: None,
            setup_api_key: Some(false),
            key_label: None,
            key_grants: None,
            key_valid_ips: None,
            options: None,
        })
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    let Some(sparkpost::ops::CreateSubaccountError::BadRequest(body)) = body_of(&e) else {
        panic!("{e:?}")
    };
    assert!(sparkpost_message(&body).contains("`name`"), "{body:?}");
    let missing = partner.get_subaccount(999_999).await.unwrap_err();
    assert_eq!(status(&missing), 404);
}

/// The error bodies of several operations as the one type they share.
trait IntoErrorResponse {
    fn into_error_response(self) -> sparkpost::types::ErrorResponse;
}

impl IntoErrorResponse for sparkpost::ops::ListSubaccountsError {
    fn into_error_response(self) -> sparkpost::types::ErrorResponse {
        match self {
            Self::BadRequest(b) | Self::Unauthorized(b) => b,
        }
    }
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::Dir(dir.path().join("data"));
    let key = {
        let server = start(storage.clone()).await;
        let partner = sparkpost_client(&server.base, "secret-acme");
        let created = partner
            .create_subaccount(sparkpost::types::SubaccountRequest {
                name: "Persistent".into(),
                ip_pool: None,
                setup_api_key: Some(true),
                key_label: Some("k".into()),
                key_grants: Some(vec!["metrics/view".into()]),
                key_valid_ips: None,
                options: None,
            })
            .await
            .unwrap();
        let cakemail = cakemail_client(&server.base, "secret-acme");
        cakemail
            .create_sub_account(cakemail::types::CreateSubAccountRequest {
                company_name: "Kept Ltd".into(),
                admin_email: "admin@kept.example".into(),
            })
            .await
            .unwrap();
        created.results.unwrap().key.unwrap()
    };
    assert!(dir.path().join("data/sandbox.sqlite3").exists());
    // Only a hash of the key is stored.
    let bytes = std::fs::read(dir.path().join("data/sandbox.sqlite3")).unwrap();
    assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()));

    let server = start(storage).await;
    let again = sparkpost_client(&server.base, &key);
    let own = again.list_subaccounts().await.unwrap();
    assert_eq!(own.results.unwrap()[0].name.as_deref(), Some("Persistent"));
    let cakemail = cakemail_client(&server.base, "secret-acme");
    let list = cakemail.list_sub_accounts().await.unwrap();
    assert_eq!(list.data[0].company_name, "Kept Ltd");
}

#[tokio::test]
async fn cakemail_lifecycle() {
    use cakemail::types::*;
    let server = start(Storage::Memory).await;
    let partner = cakemail_client(&server.base, "secret-acme");

    // Sub-accounts: create, list across pages (oldest first), get, update.
    let mut ids = Vec::new();
    for name in ["One", "Two", "Three"] {
        let created = partner
            .create_sub_account(CreateSubAccountRequest {
                company_name: format!("{name} Inc"),
                admin_email: format!("admin@{}.example", name.to_lowercase()),
            })
            .await
            .unwrap();
        assert_eq!(created.data.status, AccountStatus::Active);
        ids.push(created.sub_account_id);
    }
    let listed: Vec<i64> = partner
        .list_sub_accounts()
        .per_page(2)
        .stream()
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(listed, ids);
    let page2 = partner
        .list_sub_accounts()
        .page(2)
        .per_page(2)
        .await
        .unwrap();
    assert_eq!((page2.pagination.count, page2.data.len()), (3, 1));
    let duplicate = partner
        .create_sub_account(CreateSubAccountRequest {
            company_name: "Again".into(),
            admin_email: "ADMIN@one.example".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status(&duplicate), 409);
    let updated = partner
        .update_sub_account(
            ids[0],
            UpdateSubAccountRequest {
                company_name: Some("One Renamed".into()),
                admin_email: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.data.company_name, "One Renamed");
    assert!(updated.data.updated_at.is_some());
    assert_eq!(
        partner
            .get_sub_account(ids[0])
            .await
            .unwrap()
            .data
            .company_name,
        "One Renamed"
    );

    // Resources of a sub-account, with `account_id` set once on the client.
    let one = partner.for_account(ids[0]);
    let list = one
        .create_list(CreateListRequest {
            name: "Newsletter".into(),
            language: None,
        })
        .await
        .unwrap()
        .data;
    assert_eq!(list.language.as_deref(), Some("en_US"));
    let contact = one
        .create_contact(
            list.id,
            CreateContactRequest {
                email: "reader@example.com".into(),
                custom_attributes: Some([("plan".to_string(), "gold".to_string())].into()),
            },
        )
        .await
        .unwrap()
        .data;
    let dup = one
        .create_contact(
            list.id,
            CreateContactRequest {
                email: "reader@example.com".into(),
                custom_attributes: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(status(&dup), 409);
    let contact = one
        .update_contact(
            list.id,
            contact.id,
            UpdateContactRequest {
                email: None,
                status: Some(ContactStatus::Unsubscribed),
                custom_attributes: None,
            },
        )
        .await
        .unwrap()
        .data;
    assert_eq!(contact.status, ContactStatus::Unsubscribed);
    assert_eq!(
        one.get_contact(list.id, contact.id).await.unwrap().data,
        contact
    );
    assert_eq!(
        one.list_contacts(list.id).await.unwrap().data,
        std::slice::from_ref(&contact)
    );
    assert_eq!(
        one.get_list(list.id).await.unwrap().data.contacts_count,
        Some(1)
    );
    let list = one
        .update_list(
            list.id,
            UpdateListRequest {
                name: Some("Weekly".into()),
                language: None,
                status: None,
            },
        )
        .await
        .unwrap()
        .data;
    assert_eq!(list.name, "Weekly");
    assert_eq!(
        one.list_lists().await.unwrap().data,
        std::slice::from_ref(&list)
    );
    let template = one
        .create_template(CreateTemplateRequest {
            name: "Welcome".into(),
            content: TemplateContent {
                subject: Some("Hi".into()),
                html: Some("<p>Hi</p>".into()),
                text: None,
            },
            tags: Some(vec!["onboarding".into()]),
        })
        .await
        .unwrap()
        .data;
    let template = one
        .update_template(
            template.id,
            UpdateTemplateRequest {
                name: Some("Welcome v2".into()),
                content: None,
                tags: None,
            },
        )
        .await
        .unwrap()
        .data;
    assert_eq!(one.get_template(template.id).await.unwrap().data, template);
    assert_eq!(one.list_templates().await.unwrap().data.len(), 1);
    let bad_ref = one
        .create_campaign(CreateCampaignRequest {
            name: "Launch".into(),
            subject: None,
            list_id: Some(987_654),
            template_id: None,
        })
        .await
        .unwrap_err();
    assert_eq!(status(&bad_ref), 400);
    let campaign = one
        .create_campaign(CreateCampaignRequest {
            name: "Launch".into(),
            subject: Some("We are live".into()),
            list_id: Some(list.id),
            template_id: Some(template.id),
        })
        .await
        .unwrap()
        .data;
    assert_eq!(campaign.status, CampaignStatus::Draft);
    let campaign = one
        .update_campaign(
            campaign.id,
            UpdateCampaignRequest {
                name: None,
                subject: Some("Now live".into()),
                list_id: None,
                template_id: None,
            },
        )
        .await
        .unwrap()
        .data;
    assert_eq!(one.get_campaign(campaign.id).await.unwrap().data, campaign);

    // Scoping: the partner's own account and other sub-accounts do not see these.
    assert!(partner.list_campaigns().await.unwrap().data.is_empty());
    assert!(partner
        .for_account(ids[1])
        .list_lists()
        .await
        .unwrap()
        .data
        .is_empty());
    assert_eq!(
        status(
            &partner
                .for_account(ids[1])
                .get_campaign(campaign.id)
                .await
                .unwrap_err()
        ),
        404
    );
    // Another partner cannot act for this partner's sub-accounts.
    let globex = cakemail_client(&server.base, "secret-globex");
    let e = globex
        .for_account(ids[0])
        .list_campaigns()
        .await
        .unwrap_err();
    assert_eq!(status(&e), 403);
    assert_eq!(
        status(&globex.get_sub_account(ids[0]).await.unwrap_err()),
        404
    );

    // Suspend: scoped access refused, data kept; unsuspend restores it.
    let suspended = partner.suspend_sub_account(ids[0]).await.unwrap().data;
    assert_eq!(suspended.status, AccountStatus::Suspended);
    assert!(suspended.suspended_at.as_ref().is_some());
    let refused = one.list_campaigns().await.unwrap_err();
    assert_eq!(status(&refused), 403);
    let Some(cakemail::ops::ListCampaignsError::Forbidden(body)) = body_of(&refused) else {
        panic!("{refused:?}")
    };
    assert!(body.message.contains("suspended"), "{body:?}");
    assert_eq!(
        status(&one.get_template(template.id).await.unwrap_err()),
        403
    );
    let restored = partner.unsuspend_sub_account(ids[0]).await.unwrap().data;
    assert_eq!(restored.status, AccountStatus::Active);
    assert_eq!(restored.suspended_at.as_ref(), None);
    assert_eq!(
        one.list_campaigns().await.unwrap().data,
        std::slice::from_ref(&campaign)
    );

    // Deletes.
    let gone = one.delete_contact(list.id, contact.id).await.unwrap();
    assert!(gone.deleted);
    assert_eq!(
        status(&one.get_contact(list.id, contact.id).await.unwrap_err()),
        404
    );
    one.delete_campaign(campaign.id).await.unwrap();
    one.delete_template(template.id).await.unwrap();
    let gone = one.delete_list(list.id).await.unwrap();
    assert_eq!(gone.object, DeleteResponseObject::List);
    assert_eq!(status(&one.get_list(list.id).await.unwrap_err()), 404);

    // Deleting a sub-account removes it and all its data.
    one.create_list(CreateListRequest {
        name: "Left behind".into(),
        language: None,
    })
    .await
    .unwrap();
    let gone = partner.delete_sub_account(ids[0]).await.unwrap();
    assert_eq!(
        (gone.id, gone.object),
        (ids[0], DeleteResponseObject::SubAccount)
    );
    assert_eq!(
        status(&partner.get_sub_account(ids[0]).await.unwrap_err()),
        404
    );
    assert_eq!(status(&one.list_lists().await.unwrap_err()), 403);
    assert_eq!(
        partner.list_sub_accounts().await.unwrap().pagination.count,
        2
    );
}

#[tokio::test]
async fn cakemail_rejects_bad_credentials_and_invalid_input_in_its_error_shape() {
    use cakemail::types::*;
    let server = start(Storage::Memory).await;
    let stranger = cakemail_client(&server.base, "wrong");
    let e = stranger.list_sub_accounts().await.unwrap_err();
    assert_eq!(status(&e), 401);

    let partner = cakemail_client(&server.base, "secret-acme");
    let e = partner
        .create_sub_account(CreateSubAccountRequest {
            company_name: String::new(),
            admin_email: "not an email".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    let Some(cakemail::ops::CreateSubAccountError::BadRequest(body)) = body_of(&e) else {
        panic!("{e:?}")
    };
    assert_eq!(body.error, "invalid_request");
    let fields: Vec<&str> = body
        .details
        .as_ref()
        .unwrap()
        .iter()
        .map(|d| d.field.as_str())
        .collect();
    assert_eq!(fields, ["company_name", "admin_email"]);

    let e = partner.list_sub_accounts().per_page(0).await.unwrap_err();
    assert_eq!(status(&e), 400);
    let e = partner.get_sub_account(0).await.unwrap_err();
    assert_eq!(status(&e), 400, "sub_account_id has minimum 1");
    let e = partner.for_account(0).list_lists().await.unwrap_err();
    assert_eq!(status(&e), 400, "account_id has minimum 1");
}

#[tokio::test]
async fn a_database_failure_is_a_500_never_a_400() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(Storage::Dir(dir.path().to_path_buf())).await;
    let sp = sparkpost_client(&running.base, "secret-acme");
    let cm = cakemail_client(&running.base, "secret-acme");
    assert!(sp.list_subaccounts().await.is_ok());
    assert!(cm.list_sub_accounts().await.is_ok());
    // The database loses its tables under the running server.
    let db = rusqlite::Connection::open(dir.path().join("sandbox.sqlite3")).unwrap();
    db.execute_batch(
        "PRAGMA foreign_keys = OFF; DROP TABLE sp_keys; DROP TABLE sp_subaccounts; DROP TABLE cm_accounts;",
    )
    .unwrap();
    // Not the client's fault: 500, in each API's error shape, without the database's words.
    let e = sp.list_subaccounts().await.unwrap_err();
    assert_eq!(status(&e), 500);
    let text = raw_text(&e);
    assert!(
        text.contains("internal error") && !text.contains("no such table"),
        "{text}"
    );
    let e = sp.get_subaccount(1).await.unwrap_err();
    assert_eq!(status(&e), 500);
    let e = cm.list_sub_accounts().await.unwrap_err();
    assert_eq!(status(&e), 500);
    let text = raw_text(&e);
    assert!(
        text.contains("\"internal_error\"") && !text.contains("sqlite"),
        "{text}"
    );
}
