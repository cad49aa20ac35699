//! Where a request acts (a partner's own account or one of its sub-accounts) and the store
//! of its resources: campaigns, lists, contacts and templates as JSON documents by kind.

use generated_client::cakemail_partner::{server, types};
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::Nullable;
use rusqlite::{params, OptionalExtension, Row};
use serde_json::Value;

use super::refusal::*;
use super::{Cakemail, Partner};
use crate::store::now;

/// Whose resources a request acts on: a partner's own account (`account == 0`) or one of its
/// sub-accounts.
#[derive(Debug, Clone)]
pub(super) struct Scope {
    partner: String,
    account: i64,
}

/// An optional stored time.
fn parse_time(text: Option<String>) -> Option<chrono::DateTime<chrono::Utc>> {
    crate::store::parse_time(&text?)
}

pub(super) fn account(row: &Row<'_>) -> rusqlite::Result<types::SubAccount> {
    let status: String = row.get(3)?;
    Ok(types::SubAccount {
        id: row.get(0)?,
        company_name: row.get(1)?,
        admin_email: row.get(2)?,
        status: types::AccountStatus::from(status.as_str()),
        created_at: parse_time(row.get(4)?).unwrap_or_default(),
        updated_at: parse_time(row.get(5)?),
        suspended_at: Nullable::or_absent(parse_time(row.get(6)?)),
    })
}

pub(super) const ACCOUNT_COLUMNS: &str =
    "id, company_name, admin_email, status, created_at, updated_at, suspended_at";

pub(super) fn pagination(page: i32, per_page: i32, count: i64) -> types::Pagination {
    types::Pagination {
        page,
        per_page,
        count,
    }
}

pub(super) fn offset(page: i32, per_page: i32) -> i64 {
    (i64::from(page.max(1)) - 1) * i64::from(per_page.max(1))
}

/// The kinds of resources of an account, as stored.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Campaign,
    List,
    Contact,
    Template,
}

impl Kind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Kind::Campaign => "campaign",
            Kind::List => "list",
            Kind::Contact => "contact",
            Kind::Template => "template",
        }
    }
}

impl Cakemail {
    /// The partner the request acts for, as the router's authenticator identified it.
    pub(super) fn partner(&self, request: &Request) -> Result<String, Deny> {
        request
            .principal::<Partner>()
            .map(|p| p.0.clone())
            .ok_or_else(|| {
                Deny::Unauthorized(error("unauthorized", "Missing or invalid access token."))
            })
    }

    /// The scope of a resource request: the partner's own account, or one of its active
    /// sub-accounts.
    pub(super) fn scope(&self, request: &Request, account_id: Option<i64>) -> Result<Scope, Deny> {
        let partner = self.partner(request)?;
        let Some(id) = account_id else {
            return Ok(Scope {
                partner,
                account: 0,
            });
        };
        let status: Option<String> = self
            .store
            .conn()
            .query_row(
                "SELECT status FROM cm_accounts WHERE partner = ?1 AND id = ?2",
                params![partner, id],
                |r| r.get(0),
            )
            .optional()?;
        match status.as_deref() {
            None => Err(Deny::Forbidden(error(
                "forbidden",
                format!("Sub-account {id} does not belong to this partner."),
            ))),
            Some("suspended") => Err(Deny::Forbidden(error(
                "forbidden",
                format!("Sub-account {id} is suspended."),
            ))),
            Some(_) => Ok(Scope {
                partner,
                account: id,
            }),
        }
    }

    pub(super) fn find_account(&self, partner: &str, id: i64) -> Result<types::SubAccount, Deny> {
        self.store
            .conn()
            .query_row(
                &format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM cm_accounts WHERE partner = ?1 AND id = ?2"
                ),
                params![partner, id],
                account,
            )
            .optional()?
            .ok_or_else(|| Deny::NotFound(error("not_found", format!("No sub-account {id}."))))
    }

    pub(super) fn email_taken(
        &self,
        partner: &str,
        email: &str,
        except: i64,
    ) -> Result<bool, Deny> {
        Ok(self.store.conn().query_row(
            "SELECT COUNT(*) FROM cm_accounts WHERE partner = ?1 AND lower(admin_email) = lower(?2) AND id != ?3",
            params![partner, email, except],
            |r| r.get::<_, i64>(0),
        )? > 0)
    }

    pub(super) fn set_status(
        &self,
        request: &Request,
        id: i64,
        suspend: bool,
    ) -> Result<types::SubAccount, Deny> {
        let partner = self.partner(request)?;
        self.find_account(&partner, id)?;
        let now = now();
        let (status, suspended_at) = if suspend {
            ("suspended", Some(now.clone()))
        } else {
            ("active", None)
        };
        self.store.conn().execute(
            "UPDATE cm_accounts SET status = ?1, suspended_at = ?2, updated_at = ?3 WHERE partner = ?4 AND id = ?5",
            params![status, suspended_at, now, partner, id],
        )?;
        self.find_account(&partner, id)
    }

    // Resources: stored as JSON documents of their API type, with the row's ID.

    pub(super) fn insert<T: serde::Serialize>(
        &self,
        scope: &Scope,
        kind: Kind,
        parent: Option<i64>,
        value: &T,
    ) -> Result<i64, Deny> {
        let data =
            serde_json::to_string(value).map_err(|e| Deny::Internal(server::Error::internal(e)))?;
        let conn = self.store.conn();
        conn.execute(
            "INSERT INTO cm_resources (partner, account_id, kind, parent_id, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![scope.partner, scope.account, kind.as_str(), parent, data],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub(super) fn get<T: serde::de::DeserializeOwned>(
        &self,
        scope: &Scope,
        kind: Kind,
        parent: Option<i64>,
        id: i64,
    ) -> Result<T, Deny> {
        let data: Option<String> = self
            .store
            .conn()
            .query_row(
                "SELECT data FROM cm_resources WHERE partner = ?1 AND account_id = ?2 AND kind = ?3 AND id = ?4 AND (?5 IS NULL OR parent_id = ?5)",
                params![scope.partner, scope.account, kind.as_str(), id, parent],
                |r| r.get(0),
            )
            .optional()?;
        let data = data.ok_or_else(|| {
            Deny::NotFound(error("not_found", format!("No {} {id}.", kind.as_str())))
        })?;
        decode(&data, id)
    }

    pub(super) fn put<T: serde::Serialize>(
        &self,
        scope: &Scope,
        kind: Kind,
        id: i64,
        value: &T,
    ) -> Result<(), Deny> {
        let data =
            serde_json::to_string(value).map_err(|e| Deny::Internal(server::Error::internal(e)))?;
        self.store.conn().execute(
            "UPDATE cm_resources SET data = ?1 WHERE partner = ?2 AND account_id = ?3 AND kind = ?4 AND id = ?5",
            params![data, scope.partner, scope.account, kind.as_str(), id],
        )?;
        Ok(())
    }

    pub(super) fn remove(&self, scope: &Scope, kind: Kind, id: i64) -> Result<(), Deny> {
        let conn = self.store.conn();
        conn.execute(
            "DELETE FROM cm_resources WHERE partner = ?1 AND account_id = ?2 AND ((kind = ?3 AND id = ?4) OR (kind = 'contact' AND ?3 = 'list' AND parent_id = ?4))",
            params![scope.partner, scope.account, kind.as_str(), id],
        )?;
        Ok(())
    }

    pub(super) fn page<T: serde::de::DeserializeOwned>(
        &self,
        scope: &Scope,
        kind: Kind,
        parent: Option<i64>,
        page: i32,
        per_page: i32,
    ) -> Result<(Vec<T>, i64), Deny> {
        let conn = self.store.conn();
        let count: i64 = conn.query_row(
            "SELECT COUNT(*) FROM cm_resources WHERE partner = ?1 AND account_id = ?2 AND kind = ?3 AND (?4 IS NULL OR parent_id = ?4)",
            params![scope.partner, scope.account, kind.as_str(), parent],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(
            "SELECT id, data FROM cm_resources WHERE partner = ?1 AND account_id = ?2 AND kind = ?3 AND (?4 IS NULL OR parent_id = ?4) ORDER BY id LIMIT ?5 OFFSET ?6",
        )?;
        let rows = stmt
            .query_map(
                params![
                    scope.partner,
                    scope.account,
                    kind.as_str(),
                    parent,
                    per_page,
                    offset(page, per_page)
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )?
            .collect::<Result<Vec<_>, _>>()?;
        let items = rows
            .into_iter()
            .map(|(id, data)| decode(&data, id))
            .collect::<Result<Vec<T>, Deny>>()?;
        Ok((items, count))
    }

    pub(super) fn contacts_count(&self, scope: &Scope, list: i64) -> Result<i64, Deny> {
        Ok(self.store.conn().query_row(
            "SELECT COUNT(*) FROM cm_resources WHERE partner = ?1 AND account_id = ?2 AND kind = 'contact' AND parent_id = ?3",
            params![scope.partner, scope.account, list],
            |r| r.get(0),
        )?)
    }

    pub(super) fn list_with_count(
        &self,
        scope: &Scope,
        mut list: types::List,
    ) -> Result<types::List, Deny> {
        list.contacts_count = Some(self.contacts_count(scope, list.id)?);
        Ok(list)
    }

    /// The campaign's list and template exist in the scope.
    pub(super) fn check_refs(
        &self,
        scope: &Scope,
        list_id: Option<i64>,
        template_id: Option<i64>,
    ) -> Result<(), types::Error> {
        if let Some(id) = list_id {
            if self
                .get::<types::List>(scope, Kind::List, None, id)
                .is_err()
            {
                return Err(field_error(
                    "list_id",
                    &format!("no list {id} in this account"),
                ));
            }
        }
        if let Some(id) = template_id {
            if self
                .get::<types::Template>(scope, Kind::Template, None, id)
                .is_err()
            {
                return Err(field_error(
                    "template_id",
                    &format!("no template {id} in this account"),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn email_in_list(
        &self,
        scope: &Scope,
        list: i64,
        email: &str,
        except: i64,
    ) -> Result<bool, Deny> {
        let (contacts, _) =
            self.page::<types::Contact>(scope, Kind::Contact, Some(list), 1, i32::MAX)?;
        Ok(contacts
            .iter()
            .any(|c| c.id != except && c.email.eq_ignore_ascii_case(email)))
    }
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(data: &str, id: i64) -> Result<T, Deny> {
    let mut value: Value =
        serde_json::from_str(data).map_err(|e| Deny::Internal(server::Error::internal(e)))?;
    value["id"] = Value::from(id);
    serde_json::from_value(value).map_err(|e| Deny::Internal(server::Error::internal(e)))
}

pub(super) fn deleted(id: i64, object: types::DeleteResponseObject) -> types::DeleteResponse {
    types::DeleteResponse {
        id,
        object,
        deleted: true,
    }
}

pub(super) fn timestamp() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
