//! The generated side: a trivial implementation of the generated `Api` trait, served by the
//! generated router (full validation on) with a bearer-token authenticator.

use openapi_gen_runtime::server::{Config, Error, Request};
use openapi_gen_runtime::Credential;

use crate::pets::{server, types};
use crate::{OWNER_PAGES, TOKEN};

/// Born on a fixed day (read once, as the hand-written server keeps it).
static BORN: std::sync::LazyLock<openapi_gen_runtime::chrono::NaiveDate> =
    std::sync::LazyLock::new(|| "2021-04-01".parse().expect("a date"));

/// A pet as the implementation has it.
pub fn pet(id: i64) -> types::Pet {
    types::Pet {
        id,
        name: "Rex".into(),
        species: types::Species::Dog,
        age: 3,
        weight_kg: 21.5,
        vaccinated: true,
        owner: "Ada Lovelace".into(),
        tags: vec!["good".into(), "loud".into()],
        color: "brown".into(),
        chip: "123456789012345".into(),
        born: *BORN,
    }
}

struct Pets;

impl server::Api for Pets {
    async fn list_pets(
        &self,
        _: Request,
        params: server::ListPetsParams,
    ) -> server::Result<server::ListPetsReply> {
        let n = params.limit.min(3);
        Ok(server::ListPetsReply::Ok((1..=n).map(pet).collect()))
    }

    async fn create_pet(
        &self,
        _: Request,
        body: types::NewPet,
    ) -> server::Result<server::CreatePetReply> {
        let mut created = pet(7);
        created.name = body.name;
        created.tags = body.tags;
        Ok(server::CreatePetReply::Created(created))
    }

    async fn get_pet(
        &self,
        _: Request,
        params: server::GetPetParams,
    ) -> server::Result<server::GetPetReply> {
        Ok(server::GetPetReply::Ok(pet(params.id)))
    }

    async fn create_order(
        &self,
        _: Request,
        body: types::NewOrder,
    ) -> server::Result<server::CreateOrderReply> {
        let paid_by = match body.payment {
            types::NewOrderPayment::Card(_) => types::OrderPaidBy::Card,
            types::NewOrderPayment::BankTransfer(_) => types::OrderPaidBy::Bank,
            // The router refused every other method before this runs.
            types::NewOrderPayment::Other(_) => return Err(Error::new(400, "payment")),
        };
        Ok(server::CreateOrderReply::Created(types::Order {
            id: 7,
            total: body
                .lines
                .iter()
                .map(|l| f64::from(l.quantity) * l.unit_price)
                .sum(),
            lines: body.lines.len() as i32,
            customer: body.customer,
            paid_by: Some(paid_by),
        }))
    }

    async fn get_my_pet(
        &self,
        _: Request,
        params: server::GetMyPetParams,
    ) -> server::Result<server::GetMyPetReply> {
        Ok(server::GetMyPetReply::Ok(pet(params.id)))
    }

    async fn list_owner_pets(
        &self,
        _: Request,
        params: server::ListOwnerPetsParams,
    ) -> server::Result<server::ListOwnerPetsReply> {
        let page = crate::page_of(params.cursor.as_deref())
            .ok_or_else(|| Error::new(400, "cursor: no such page"))?;
        let first = page * params.limit;
        Ok(server::ListOwnerPetsReply::Ok(
            types::ListOwnerPetsResponse {
                pets: (first + 1..=first + params.limit).map(pet).collect(),
                next_cursor: openapi_gen_runtime::Nullable::or_null(
                    (page + 1 < OWNER_PAGES).then(|| format!("p{}", page + 1)),
                ),
            },
        ))
    }
}

/// Who a valid token acts for.
struct Caller;

/// The generated router, as `axum::serve` would serve it. The token is checked at once, as
/// the hand-written extractor checks it (`Config::authenticate_sync`); with
/// `OVERHEAD_ASYNC_AUTH` set, by an async authenticator (`Config::authenticate`) instead,
/// which a check that waits for something (a database, a token service) needs.
pub fn router() -> axum::Router {
    let config = if std::env::var_os("OVERHEAD_ASYNC_AUTH").is_some() {
        Config::default()
            .authenticate(|scheme, credential| async move { check(scheme, &credential) })
    } else {
        Config::default().authenticate_sync(check)
    };
    server::router_with(Pets, config)
}

/// Who a bearer token acts for.
fn check(_scheme: &'static str, credential: &Credential) -> Result<Caller, Error> {
    match credential {
        Credential::Bearer(token) if token == TOKEN => Ok(Caller),
        _ => Err(Error::unauthorized("a valid bearer token is required")),
    }
}
