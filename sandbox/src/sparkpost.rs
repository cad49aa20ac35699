//! The SparkPost Subaccounts API on its generated server trait.
//!
//! Authentication: `Authorization: <key>`, where the key is a partner key (manages every
//! subaccount of the partner) or a key issued when a subaccount was created (sees only its
//! own subaccount, cannot create or change subaccounts). Keys are stored as SHA-256 hashes.

use std::sync::Arc;

use generated_client::sparkpost_subaccounts::server::{self, Api};
use generated_client::sparkpost_subaccounts::types;
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::Credential;
use rand::Rng;
use rusqlite::{params, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use crate::store::{now, Store};
use crate::Partners;

/// The SparkPost side of the sandbox.
#[derive(Debug, Clone)]
pub struct SparkPost {
    pub(crate) store: Arc<Store>,
    /// The path the API is served under (`/sparkpost`): links it writes start there, since
    /// the router it is nested in strips it from the requests' URIs.
    pub(crate) mount: &'static str,
}

/// Who is calling.
#[derive(Debug, Clone)]
pub(crate) enum Principal {
    Partner(String),
    Subaccount { partner: String, id: i64 },
}

impl Principal {
    fn partner(&self) -> &str {
        match self {
            Principal::Partner(p) | Principal::Subaccount { partner: p, .. } => p,
        }
    }
}

fn error(code: &str, message: impl Into<String>) -> types::ErrorResponse {
    let message = message.into();
    types::ErrorResponse {
        errors: Some(vec![types::ErrorResponseError {
            message: Some(message.clone()),
            code: Some(code.to_string()),
            description: Some(message),
        }]),
    }
}

/// A key issued on creation: the key itself (shown once), its label and its short form.
type IssuedKey = (String, String, String);

fn hash(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_key() -> String {
    let bytes: [u8; 20] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_time(text: String) -> Option<chrono::DateTime<chrono::Utc>> {
    crate::store::parse_time(&text)
}

const COLUMNS: &str =
    "id, name, status, compliance_status, ip_pool, deliverability, created_at, updated_at";

fn details(row: &Row<'_>) -> rusqlite::Result<types::SubaccountDetails> {
    Ok(types::SubaccountDetails {
        id: Some(row.get(0)?),
        name: Some(row.get(1)?),
        status: Some(row.get(2)?),
        compliance_status: Some(row.get(3)?),
        ip_pool: row.get(4)?,
        options: row
            .get::<_, Option<bool>>(5)?
            .map(|d| types::SubaccountOptions {
                deliverability: Some(d),
            }),
        created_at: parse_time(row.get(6)?),
        updated_at: parse_time(row.get(7)?),
    })
}

/// Who an API key belongs to: a partner, or one of its active subaccounts. The router runs
/// this before any method (see `Sandbox::router`); a wrong key is a `401`, a database
/// failure a `500`.
pub(crate) fn authenticate(
    store: &Store,
    partners: &Partners,
    credential: &Credential,
) -> server::Result<Principal> {
    let key = credential.secret();
    if let Some(partner) = partners.by_secret(key) {
        return Ok(Principal::Partner(partner.to_string()));
    }
    let found: Option<(i64, String, String)> = store
        .conn()
        .query_row(
            "SELECT s.id, s.partner, s.status FROM sp_keys k JOIN sp_subaccounts s ON s.id = k.subaccount_id WHERE k.hash = ?1",
            params![hash(key)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match found {
        Some((id, partner, status)) if status == "active" => {
            Ok(Principal::Subaccount { partner, id })
        }
        Some((id, _, status)) => Err(server::Error::unauthorized(format!(
            "the key of subaccount {id} is disabled: the subaccount is {status}"
        ))),
        None => Err(server::Error::unauthorized("invalid API key")),
    }
}

/// Who the request acts for, as the router's authenticator identified it.
fn principal(request: &Request) -> server::Result<Principal> {
    request
        .principal::<Principal>()
        .cloned()
        .ok_or_else(|| server::Error::unauthorized("missing API key"))
}

impl SparkPost {
    fn find(&self, partner: &str, id: i64) -> rusqlite::Result<Option<types::SubaccountDetails>> {
        self.store
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM sp_subaccounts WHERE partner = ?1 AND id = ?2"),
                params![partner, id],
                details,
            )
            .optional()
    }
}

/// Which subaccounts a list request selects.
struct Filter<'a> {
    partner: &'a str,
    only: Option<i64>,
    params: &'a server::ListSubaccountsParams,
}

/// The subaccounts `filter` selects, or why the filter is wrong; a database failure is
/// neither.
fn list(
    store: &Store,
    filter: &Filter<'_>,
) -> server::Result<Result<Vec<types::SubaccountDetails>, types::ErrorResponse>> {
    let p = filter.params;
    let mut sql = format!("SELECT {COLUMNS} FROM sp_subaccounts WHERE partner = ?");
    let mut args: Vec<rusqlite::types::Value> = vec![filter.partner.to_string().into()];
    if let Some(id) = filter.only {
        sql.push_str(" AND id = ?");
        args.push(id.into());
    }
    if let Some(status) = &p.status {
        sql.push_str(" AND status = ?");
        args.push(status.as_str().to_string().into());
    }
    if let Some(name) = &p.name {
        sql.push_str(" AND instr(lower(name), lower(?)) > 0");
        args.push(name.clone().into());
    }
    if let Some(pool) = &p.ip_pool {
        sql.push_str(" AND ip_pool = ?");
        args.push(pool.clone().into());
    }
    if p.option.is_some() {
        sql.push_str(" AND deliverability = 1");
    }
    if let Some(ids) = &p.ids {
        let mut list = Vec::new();
        for part in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Ok(id) = part.parse::<i64>() else {
                return Ok(Err(error(
                    "invalid_request",
                    format!("query parameter `ids`: {part:?} is not a subaccount ID"),
                )));
            };
            list.push(id);
        }
        sql.push_str(&format!(" AND id IN ({})", vec!["?"; list.len()].join(",")));
        args.extend(list.into_iter().map(rusqlite::types::Value::from));
    }
    let column = match p.sort_by.as_str() {
        "updated_at" => "updated_at",
        "id" => "id",
        "name" => "name",
        _ => "created_at",
    };
    let order = if p.order.as_str() == "asc" {
        "ASC"
    } else {
        "DESC"
    };
    sql.push_str(&format!(" ORDER BY {column} {order}, id {order}"));
    let conn = store.conn();
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args), details)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Ok(rows))
}

impl Api for SparkPost {
    async fn list_subaccounts(
        &self,
        request: Request,
        params: server::ListSubaccountsParams,
    ) -> server::Result<server::ListSubaccountsReply> {
        use server::ListSubaccountsReply as R;
        let principal = principal(&request)?;
        let only = match principal {
            Principal::Subaccount { id, .. } => Some(id),
            Principal::Partner(_) => None,
        };
        let offset = match params.cursor.as_deref() {
            // No cursor, or an empty one: the first page.
            None | Some("") => 0,
            Some(c) => match c.strip_prefix("o").and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => n,
                None => {
                    return Ok(R::BadRequest(error(
                        "invalid_request",
                        format!("query parameter `cursor`: {c:?} is not a cursor this API issued"),
                    )))
                }
            },
        };
        let filter = Filter {
            partner: principal.partner(),
            only,
            params: &params,
        };
        // A database failure is the server's, not the request's: a 500 (`?`).
        let all = match list(&self.store, &filter)? {
            Ok(all) => all,
            Err(e) => return Ok(R::BadRequest(e)),
        };
        let per_page = usize::try_from(params.per_page.max(1)).unwrap_or(25);
        let total = all.len();
        let page: Vec<_> = all.into_iter().skip(offset).take(per_page).collect();
        let next = (offset + per_page < total).then(|| {
            format!(
                "{}{}?cursor=o{}&per_page={per_page}",
                self.mount,
                request.uri.path(),
                offset + per_page
            )
        });
        Ok(R::Ok(types::SubaccountsListResponse {
            results: Some(page),
            total_count: Some(total as i64),
            links: Some(types::SubaccountsListResponseLinks { next }),
        }))
    }

    async fn create_subaccount(
        &self,
        request: Request,
        body: types::SubaccountRequest,
    ) -> server::Result<server::CreateSubaccountReply> {
        use server::CreateSubaccountReply as R;
        let partner = match principal(&request)? {
            Principal::Partner(p) => p,
            // A valid key that may not do this: 403, which the spec does not document.
            Principal::Subaccount { id, .. } => {
                return Err(server::Error::forbidden(format!(
                    "this key belongs to subaccount {id}: only a partner key can create subaccounts"
                )))
            }
        };
        let setup_key = body.setup_api_key.unwrap_or(true);
        if setup_key {
            let grants_missing = body.key_grants.as_ref().is_none_or(|g| g.is_empty());
            if body.key_label.as_deref().is_none_or(str::is_empty) || grants_missing {
                return Ok(R::BadRequest(error(
                    "invalid_request",
                    "body fields `key_label` and `key_grants` are required when `setup_api_key` is true",
                )));
            }
        }
        let now = now();
        let deliverability = body.options.as_ref().and_then(|o| o.deliverability);
        let mut conn = self.store.conn();
        let result = (|| -> rusqlite::Result<(i64, Option<IssuedKey>)> {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO sp_subaccounts (partner, name, status, compliance_status, ip_pool, deliverability, created_at, updated_at) VALUES (?1, ?2, 'active', 'active', ?3, ?4, ?5, ?5)",
                params![partner, body.name, body.ip_pool, deliverability, now],
            )?;
            let id = tx.last_insert_rowid();
            let key = if setup_key {
                let key = new_key();
                let short_key = key[..4].to_string();
                let label = body.key_label.clone().unwrap_or_default();
                tx.execute(
                    "INSERT INTO sp_keys (hash, subaccount_id, label, short_key, grants, valid_ips, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        hash(&key),
                        id,
                        label,
                        short_key,
                        body.key_grants.clone().unwrap_or_default().join(","),
                        body.key_valid_ips.clone().unwrap_or_default().join(","),
                        now
                    ],
                )?;
                Some((key, label, short_key))
            } else {
                None
            };
            tx.commit()?;
            Ok((id, key))
        })();
        match result {
            Ok((id, key)) => {
                let (key, label, short_key) = match key {
                    Some((k, l, s)) => (Some(k), Some(l), Some(s)),
                    None => (None, None, None),
                };
                Ok(R::Ok(types::SubaccountCreateResponse {
                    results: Some(types::SubaccountCreateResponseResults {
                        subaccount_id: Some(id),
                        key,
                        label,
                        short_key,
                    }),
                }))
            }
            Err(e) => Err(server::Error::internal(e)),
        }
    }

    async fn get_subaccounts_summary(
        &self,
        request: Request,
    ) -> server::Result<server::GetSubaccountsSummaryReply> {
        use server::GetSubaccountsSummaryReply as R;
        let total = match principal(&request)? {
            Principal::Partner(partner) => self
                .store
                .conn()
                .query_row(
                    "SELECT COUNT(*) FROM sp_subaccounts WHERE partner = ?1",
                    params![partner],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap_or(0),
            Principal::Subaccount { .. } => 1,
        };
        Ok(R::Ok(types::GetSubaccountsSummaryResponse {
            results: Some(types::GetSubaccountsSummaryResponseResults { total: Some(total) }),
        }))
    }

    async fn get_subaccount(
        &self,
        request: Request,
        params: server::GetSubaccountParams,
    ) -> server::Result<server::GetSubaccountReply> {
        use server::GetSubaccountReply as R;
        let principal = principal(&request)?;
        let visible = match principal {
            Principal::Subaccount { id, .. } => id == params.id,
            Principal::Partner(_) => true,
        };
        match self.find(principal.partner(), params.id) {
            Ok(Some(details)) if visible => Ok(R::Ok(types::SubaccountResponse {
                results: Some(details),
            })),
            Ok(_) => Ok(R::NotFound(error(
                "not_found",
                format!("no subaccount with ID {}", params.id),
            ))),
            Err(e) => Err(server::Error::internal(e)),
        }
    }

    async fn update_subaccount(
        &self,
        request: Request,
        params: server::UpdateSubaccountParams,
        body: types::SubaccountUpdateRequest,
    ) -> server::Result<server::UpdateSubaccountReply> {
        use server::UpdateSubaccountReply as R;
        let partner = match principal(&request)? {
            Principal::Partner(p) => p,
            // A valid key that may not do this: 403, which the spec does not document.
            Principal::Subaccount { id, .. } => {
                return Err(server::Error::forbidden(format!(
                    "this key belongs to subaccount {id}: only a partner key can change subaccounts"
                )))
            }
        };
        match self.find(&partner, params.id) {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Ok(R::NotFound(error(
                    "not_found",
                    format!("no subaccount with ID {}", params.id),
                )))
            }
            Err(e) => return Err(server::Error::internal(e)),
        }
        if let Some(types::Status::Unknown(s)) = &body.status {
            return Ok(R::BadRequest(error(
                "invalid_request",
                format!("unknown status {s:?}"),
            )));
        }
        let conn = self.store.conn();
        let result = conn.execute(
            "UPDATE sp_subaccounts SET
                name = COALESCE(?1, name),
                status = COALESCE(?2, status),
                ip_pool = CASE WHEN ?3 IS NULL THEN ip_pool WHEN ?3 = '' THEN NULL ELSE ?3 END,
                deliverability = COALESCE(?4, deliverability),
                updated_at = ?5
             WHERE partner = ?6 AND id = ?7",
            params![
                body.name,
                body.status.as_ref().map(|s| s.as_str().to_string()),
                body.ip_pool,
                body.options.as_ref().and_then(|o| o.deliverability),
                now(),
                partner,
                params.id
            ],
        );
        match result {
            Ok(_) => Ok(R::Ok),
            Err(e) => Err(server::Error::internal(e)),
        }
    }
}
