//! The Cakemail Partner API on its generated server trait.
//!
//! Authentication: `Authorization: Bearer <partner token>`. A partner manages its own
//! sub-accounts and acts on their campaigns, lists, contacts and templates with
//! `account_id`; without it, on its own account. A suspended sub-account's resources are
//! refused (`403`) but kept; deleting a sub-account deletes all its resources.

use std::sync::Arc;

use generated_client::cakemail_partner::server::{self, Api};
use generated_client::cakemail_partner::types;
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::{Credential, Nullable};
use rusqlite::params;

use crate::store::{now, Store};
use crate::Partners;

mod documents;
mod refusal;

use documents::*;
use refusal::*;

/// The Cakemail side of the sandbox.
/// A partner, as identified by its access token.
#[derive(Debug, Clone)]
pub(crate) struct Partner(pub(crate) String);

/// The partner an access token belongs to. The router runs this before any method (see
/// `Sandbox::router`): a wrong token is a `401` in the spec's error shape.
pub(crate) fn authenticate(
    partners: &Partners,
    credential: &Credential,
) -> server::Result<Partner> {
    partners
        .by_secret(credential.secret())
        .map(|p| Partner(p.to_string()))
        .ok_or_else(|| server::Error::unauthorized("Missing or invalid access token."))
}

#[derive(Debug, Clone)]
pub struct Cakemail {
    pub(crate) store: Arc<Store>,
}

impl Api for Cakemail {
    async fn list_sub_accounts(
        &self,
        request: Request,
        params: server::ListSubAccountsParams,
    ) -> server::Result<server::ListSubAccountsReply> {
        use server::ListSubAccountsReply as R;
        let result = (|| -> Result<types::SubAccountList, Deny> {
            let partner = self.partner(&request)?;
            let conn = self.store.conn();
            let count: i64 = conn.query_row(
                "SELECT COUNT(*) FROM cm_accounts WHERE partner = ?1",
                params![partner],
                |r| r.get(0),
            )?;
            let mut stmt = conn.prepare(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM cm_accounts WHERE partner = ?1 ORDER BY created_at, id LIMIT ?2 OFFSET ?3"
            ))?;
            let data = stmt
                .query_map(
                    params![
                        partner,
                        params.per_page,
                        offset(params.page, params.per_page)
                    ],
                    account,
                )?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(types::SubAccountList {
                pagination: pagination(params.page, params.per_page, count),
                data,
            })
        })();
        match result {
            Ok(list) => Ok(R::Ok(list)),
            Err(d) => refuse_partner!(R, d),
        }
    }

    async fn create_sub_account(
        &self,
        request: Request,
        body: types::CreateSubAccountRequest,
    ) -> server::Result<server::CreateSubAccountReply> {
        use server::CreateSubAccountReply as R;
        let result = (|| -> Result<R, Deny> {
            let partner = self.partner(&request)?;
            if self.email_taken(&partner, &body.admin_email, 0)? {
                return Ok(R::Conflict(error(
                    "conflict",
                    format!(
                        "A sub-account with admin email {} already exists.",
                        body.admin_email
                    ),
                )));
            }
            let id = {
                let conn = self.store.conn();
                conn.execute(
                    "INSERT INTO cm_accounts (partner, company_name, admin_email, status, created_at) VALUES (?1, ?2, ?3, 'active', ?4)",
                    params![partner, body.company_name, body.admin_email, now()],
                )?;
                conn.last_insert_rowid()
            };
            let data = self.find_account(&partner, id)?;
            Ok(R::Created(types::CreateSubAccountResponse {
                sub_account_id: id,
                data,
            }))
        })();
        result.or_else(|d| refuse_partner!(R, d))
    }

    async fn get_sub_account(
        &self,
        request: Request,
        params: server::GetSubAccountParams,
    ) -> server::Result<server::GetSubAccountReply> {
        use server::GetSubAccountReply as R;
        let result = self
            .partner(&request)
            .and_then(|p| self.find_account(&p, params.sub_account_id));
        match result {
            Ok(data) => Ok(R::Ok(types::SubAccountResponse { data })),
            Err(d) => refuse_no_forbidden!(R, d),
        }
    }

    async fn delete_sub_account(
        &self,
        request: Request,
        params: server::DeleteSubAccountParams,
    ) -> server::Result<server::DeleteSubAccountReply> {
        use server::DeleteSubAccountReply as R;
        let id = params.sub_account_id;
        let result = (|| -> Result<(), Deny> {
            let partner = self.partner(&request)?;
            self.find_account(&partner, id)?;
            let mut conn = self.store.conn();
            let tx = conn.transaction()?;
            tx.execute(
                "DELETE FROM cm_resources WHERE partner = ?1 AND account_id = ?2",
                params![partner, id],
            )?;
            tx.execute(
                "DELETE FROM cm_accounts WHERE partner = ?1 AND id = ?2",
                params![partner, id],
            )?;
            tx.commit()?;
            Ok(())
        })();
        match result {
            Ok(()) => Ok(R::Ok(deleted(id, types::DeleteResponseObject::SubAccount))),
            Err(d) => refuse_no_forbidden!(R, d),
        }
    }

    async fn update_sub_account(
        &self,
        request: Request,
        params: server::UpdateSubAccountParams,
        body: types::UpdateSubAccountRequest,
    ) -> server::Result<server::UpdateSubAccountReply> {
        use server::UpdateSubAccountReply as R;
        let id = params.sub_account_id;
        let partner = match self
            .partner(&request)
            .and_then(|p| self.find_account(&p, id).map(|_| p))
        {
            Ok(p) => p,
            Err(d) => return refuse_no_forbidden!(R, d),
        };
        if let Some(email) = &body.admin_email {
            match self.email_taken(&partner, email, id) {
                Ok(false) => {}
                Ok(true) => {
                    return Ok(R::Conflict(error(
                        "conflict",
                        format!("A sub-account with admin email {email} already exists."),
                    )))
                }
                Err(d) => return refuse_no_forbidden!(R, d),
            }
        }
        let updated = self.store.conn().execute(
            "UPDATE cm_accounts SET company_name = COALESCE(?1, company_name), admin_email = COALESCE(?2, admin_email), updated_at = ?3 WHERE partner = ?4 AND id = ?5",
            params![body.company_name, body.admin_email, now(), partner, id],
        );
        if let Err(e) = updated {
            return Err(server::Error::internal(e));
        }
        match self.find_account(&partner, id) {
            Ok(data) => Ok(R::Ok(types::SubAccountResponse { data })),
            Err(d) => refuse_no_forbidden!(R, d),
        }
    }

    async fn suspend_sub_account(
        &self,
        request: Request,
        params: server::SuspendSubAccountParams,
    ) -> server::Result<server::SuspendSubAccountReply> {
        use server::SuspendSubAccountReply as R;
        match self.set_status(&request, params.sub_account_id, true) {
            Ok(data) => Ok(R::Ok(types::SubAccountResponse { data })),
            Err(d) => refuse_no_forbidden!(R, d),
        }
    }

    async fn unsuspend_sub_account(
        &self,
        request: Request,
        params: server::UnsuspendSubAccountParams,
    ) -> server::Result<server::UnsuspendSubAccountReply> {
        use server::UnsuspendSubAccountReply as R;
        match self.set_status(&request, params.sub_account_id, false) {
            Ok(data) => Ok(R::Ok(types::SubAccountResponse { data })),
            Err(d) => refuse_no_forbidden!(R, d),
        }
    }

    async fn list_campaigns(
        &self,
        request: Request,
        params: server::ListCampaignsParams,
    ) -> server::Result<server::ListCampaignsReply> {
        use server::ListCampaignsReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.page::<types::Campaign>(&s, Kind::Campaign, None, params.page, params.per_page)
        });
        match result {
            Ok((data, count)) => Ok(R::Ok(types::CampaignList {
                pagination: pagination(params.page, params.per_page, count),
                data,
            })),
            Err(d) => refuse_collection!(R, d),
        }
    }

    async fn create_campaign(
        &self,
        request: Request,
        params: server::CreateCampaignParams,
        body: types::CreateCampaignRequest,
    ) -> server::Result<server::CreateCampaignReply> {
        use server::CreateCampaignReply as R;
        let scope = match self.scope(&request, params.account_id) {
            Ok(s) => s,
            Err(d) => return refuse_collection!(R, d),
        };
        if let Err(e) = self.check_refs(&scope, body.list_id, body.template_id) {
            return Ok(R::BadRequest(e));
        }
        let mut campaign = types::Campaign {
            id: 0,
            name: body.name,
            subject: body.subject,
            status: types::CampaignStatus::Draft,
            list_id: Nullable::or_absent(body.list_id),
            template_id: Nullable::or_absent(body.template_id),
            created_at: timestamp(),
            updated_at: None,
        };
        match self.insert(&scope, Kind::Campaign, None, &campaign) {
            Ok(id) => {
                campaign.id = id;
                Ok(R::Created(types::CampaignResponse { data: campaign }))
            }
            Err(d) => refuse_collection!(R, d),
        }
    }

    async fn get_campaign(
        &self,
        request: Request,
        params: server::GetCampaignParams,
    ) -> server::Result<server::GetCampaignReply> {
        use server::GetCampaignReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::Campaign>(&s, Kind::Campaign, None, params.campaign_id)
        });
        match result {
            Ok(data) => Ok(R::Ok(types::CampaignResponse { data })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn delete_campaign(
        &self,
        request: Request,
        params: server::DeleteCampaignParams,
    ) -> server::Result<server::DeleteCampaignReply> {
        use server::DeleteCampaignReply as R;
        let id = params.campaign_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::Campaign>(&s, Kind::Campaign, None, id)?;
            self.remove(&s, Kind::Campaign, id)
        });
        match result {
            Ok(()) => Ok(R::Ok(deleted(id, types::DeleteResponseObject::Campaign))),
            Err(d) => refuse!(R, d),
        }
    }

    async fn update_campaign(
        &self,
        request: Request,
        params: server::UpdateCampaignParams,
        body: types::UpdateCampaignRequest,
    ) -> server::Result<server::UpdateCampaignReply> {
        use server::UpdateCampaignReply as R;
        let id = params.campaign_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let c = self.get::<types::Campaign>(&s, Kind::Campaign, None, id)?;
            Ok((s, c))
        });
        let (scope, mut campaign) = match result {
            Ok(v) => v,
            Err(d) => return refuse!(R, d),
        };
        if let Err(e) = self.check_refs(&scope, body.list_id, body.template_id) {
            return Ok(R::BadRequest(e));
        }
        if let Some(v) = body.name {
            campaign.name = v;
        }
        if let Some(v) = body.subject {
            campaign.subject = Some(v);
        }
        if let Some(v) = body.list_id {
            campaign.list_id = Nullable::Value(v);
        }
        if let Some(v) = body.template_id {
            campaign.template_id = Nullable::Value(v);
        }
        campaign.updated_at = Some(timestamp());
        match self.put(&scope, Kind::Campaign, id, &campaign) {
            Ok(()) => Ok(R::Ok(types::CampaignResponse { data: campaign })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn list_lists(
        &self,
        request: Request,
        params: server::ListListsParams,
    ) -> server::Result<server::ListListsReply> {
        use server::ListListsReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let (lists, count) =
                self.page::<types::List>(&s, Kind::List, None, params.page, params.per_page)?;
            let lists = lists
                .into_iter()
                .map(|l| self.list_with_count(&s, l))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((lists, count))
        });
        match result {
            Ok((data, count)) => Ok(R::Ok(types::ListList {
                pagination: pagination(params.page, params.per_page, count),
                data,
            })),
            Err(d) => refuse_collection!(R, d),
        }
    }

    async fn create_list(
        &self,
        request: Request,
        params: server::CreateListParams,
        body: types::CreateListRequest,
    ) -> server::Result<server::CreateListReply> {
        use server::CreateListReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let mut list = types::List {
                id: 0,
                name: body.name,
                language: Some(body.language.unwrap_or_else(|| "en_US".to_string())),
                status: types::ListStatus::Active,
                contacts_count: Some(0),
                created_at: timestamp(),
            };
            list.id = self.insert(&s, Kind::List, None, &list)?;
            Ok(list)
        });
        match result {
            Ok(data) => Ok(R::Created(types::ListResponse { data })),
            Err(d) => refuse_collection!(R, d),
        }
    }

    async fn get_list(
        &self,
        request: Request,
        params: server::GetListParams,
    ) -> server::Result<server::GetListReply> {
        use server::GetListReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let list = self.get::<types::List>(&s, Kind::List, None, params.list_id)?;
            self.list_with_count(&s, list)
        });
        match result {
            Ok(data) => Ok(R::Ok(types::ListResponse { data })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn delete_list(
        &self,
        request: Request,
        params: server::DeleteListParams,
    ) -> server::Result<server::DeleteListReply> {
        use server::DeleteListReply as R;
        let id = params.list_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::List>(&s, Kind::List, None, id)?;
            self.remove(&s, Kind::List, id)
        });
        match result {
            Ok(()) => Ok(R::Ok(deleted(id, types::DeleteResponseObject::List))),
            Err(d) => refuse!(R, d),
        }
    }

    async fn update_list(
        &self,
        request: Request,
        params: server::UpdateListParams,
        body: types::UpdateListRequest,
    ) -> server::Result<server::UpdateListReply> {
        use server::UpdateListReply as R;
        let id = params.list_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let mut list = self.get::<types::List>(&s, Kind::List, None, id)?;
            if let Some(v) = body.name {
                list.name = v;
            }
            if let Some(v) = body.language {
                list.language = Some(v);
            }
            if let Some(v) = body.status {
                list.status = types::ListStatus::from(v.as_str());
            }
            self.put(&s, Kind::List, id, &list)?;
            self.list_with_count(&s, list)
        });
        match result {
            Ok(data) => Ok(R::Ok(types::ListResponse { data })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn list_contacts(
        &self,
        request: Request,
        params: server::ListContactsParams,
    ) -> server::Result<server::ListContactsReply> {
        use server::ListContactsReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::List>(&s, Kind::List, None, params.list_id)?;
            self.page::<types::Contact>(
                &s,
                Kind::Contact,
                Some(params.list_id),
                params.page,
                params.per_page,
            )
        });
        match result {
            Ok((data, count)) => Ok(R::Ok(types::ContactList {
                pagination: pagination(params.page, params.per_page, count),
                data,
            })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn create_contact(
        &self,
        request: Request,
        params: server::CreateContactParams,
        body: types::CreateContactRequest,
    ) -> server::Result<server::CreateContactReply> {
        use server::CreateContactReply as R;
        let list_id = params.list_id;
        let scope = match self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::List>(&s, Kind::List, None, list_id)?;
            Ok(s)
        }) {
            Ok(s) => s,
            Err(d) => return refuse!(R, d),
        };
        match self.email_in_list(&scope, list_id, &body.email, 0) {
            Ok(false) => {}
            Ok(true) => {
                return Ok(R::Conflict(error(
                    "conflict",
                    format!("{} is already in list {list_id}.", body.email),
                )))
            }
            Err(d) => return refuse!(R, d),
        }
        let mut contact = types::Contact {
            id: 0,
            list_id,
            email: body.email,
            status: types::ContactStatus::Active,
            custom_attributes: body.custom_attributes,
            created_at: timestamp(),
        };
        match self.insert(&scope, Kind::Contact, Some(list_id), &contact) {
            Ok(id) => {
                contact.id = id;
                Ok(R::Created(types::ContactResponse { data: contact }))
            }
            Err(d) => refuse!(R, d),
        }
    }

    async fn get_contact(
        &self,
        request: Request,
        params: server::GetContactParams,
    ) -> server::Result<server::GetContactReply> {
        use server::GetContactReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::Contact>(&s, Kind::Contact, Some(params.list_id), params.contact_id)
        });
        match result {
            Ok(data) => Ok(R::Ok(types::ContactResponse { data })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn delete_contact(
        &self,
        request: Request,
        params: server::DeleteContactParams,
    ) -> server::Result<server::DeleteContactReply> {
        use server::DeleteContactReply as R;
        let id = params.contact_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::Contact>(&s, Kind::Contact, Some(params.list_id), id)?;
            self.remove(&s, Kind::Contact, id)
        });
        match result {
            Ok(()) => Ok(R::Ok(deleted(id, types::DeleteResponseObject::Contact))),
            Err(d) => refuse!(R, d),
        }
    }

    async fn update_contact(
        &self,
        request: Request,
        params: server::UpdateContactParams,
        body: types::UpdateContactRequest,
    ) -> server::Result<server::UpdateContactReply> {
        use server::UpdateContactReply as R;
        let id = params.contact_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let mut contact =
                self.get::<types::Contact>(&s, Kind::Contact, Some(params.list_id), id)?;
            if let Some(v) = body.email {
                contact.email = v;
            }
            if let Some(v) = body.status {
                contact.status = v;
            }
            if let Some(v) = body.custom_attributes {
                contact.custom_attributes = Some(v);
            }
            self.put(&s, Kind::Contact, id, &contact)?;
            Ok(contact)
        });
        match result {
            Ok(data) => Ok(R::Ok(types::ContactResponse { data })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn list_templates(
        &self,
        request: Request,
        params: server::ListTemplatesParams,
    ) -> server::Result<server::ListTemplatesReply> {
        use server::ListTemplatesReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.page::<types::Template>(&s, Kind::Template, None, params.page, params.per_page)
        });
        match result {
            Ok((data, count)) => Ok(R::Ok(types::TemplateList {
                pagination: pagination(params.page, params.per_page, count),
                data,
            })),
            Err(d) => refuse_collection!(R, d),
        }
    }

    async fn create_template(
        &self,
        request: Request,
        params: server::CreateTemplateParams,
        body: types::CreateTemplateRequest,
    ) -> server::Result<server::CreateTemplateReply> {
        use server::CreateTemplateReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let mut template = types::Template {
                id: 0,
                name: body.name,
                content: body.content,
                tags: body.tags,
                created_at: timestamp(),
                updated_at: None,
            };
            template.id = self.insert(&s, Kind::Template, None, &template)?;
            Ok(template)
        });
        match result {
            Ok(data) => Ok(R::Created(types::TemplateResponse { data })),
            Err(d) => refuse_collection!(R, d),
        }
    }

    async fn get_template(
        &self,
        request: Request,
        params: server::GetTemplateParams,
    ) -> server::Result<server::GetTemplateReply> {
        use server::GetTemplateReply as R;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::Template>(&s, Kind::Template, None, params.template_id)
        });
        match result {
            Ok(data) => Ok(R::Ok(types::TemplateResponse { data })),
            Err(d) => refuse!(R, d),
        }
    }

    async fn delete_template(
        &self,
        request: Request,
        params: server::DeleteTemplateParams,
    ) -> server::Result<server::DeleteTemplateReply> {
        use server::DeleteTemplateReply as R;
        let id = params.template_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            self.get::<types::Template>(&s, Kind::Template, None, id)?;
            self.remove(&s, Kind::Template, id)
        });
        match result {
            Ok(()) => Ok(R::Ok(deleted(id, types::DeleteResponseObject::Template))),
            Err(d) => refuse!(R, d),
        }
    }

    async fn update_template(
        &self,
        request: Request,
        params: server::UpdateTemplateParams,
        body: types::UpdateTemplateRequest,
    ) -> server::Result<server::UpdateTemplateReply> {
        use server::UpdateTemplateReply as R;
        let id = params.template_id;
        let result = self.scope(&request, params.account_id).and_then(|s| {
            let mut template = self.get::<types::Template>(&s, Kind::Template, None, id)?;
            if let Some(v) = body.name {
                template.name = v;
            }
            if let Some(v) = body.content {
                template.content = v;
            }
            if let Some(v) = body.tags {
                template.tags = Some(v);
            }
            template.updated_at = Some(timestamp());
            self.put(&s, Kind::Template, id, &template)?;
            Ok(template)
        });
        match result {
            Ok(data) => Ok(R::Ok(types::TemplateResponse { data })),
            Err(d) => refuse!(R, d),
        }
    }
}
