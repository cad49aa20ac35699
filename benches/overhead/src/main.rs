//! The same small API (`pets.yaml`) served twice, for `scripts/bench-server.sh`: through
//! the generated router with a trivial implementation (full validation on), and written by
//! hand on axum with serde (the same JSON bodies, the checks serde's types make).
//!
//!     overhead generated|hand ADDR

#[allow(dead_code)]
mod pets {
    include!(concat!(env!("OUT_DIR"), "/pets.rs"));
}

use openapi_gen_runtime::server::Request;
use pets::{server, types};

/// Born on a fixed day (read once, as the hand-written server keeps it as text).
static BORN: std::sync::LazyLock<openapi_gen_runtime::chrono::NaiveDate> =
    std::sync::LazyLock::new(|| "2021-04-01".parse().expect("a date"));

/// A pet as the implementation has it.
fn pet(id: i64) -> types::Pet {
    types::Pet {
        id,
        name: "Rex".into(),
        species: types::NewPetSpecies::Dog,
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
}

/// The same API by hand: axum extractors and serde types, as one would write it.
mod hand {
    use axum::extract::{Path, Query};
    use axum::http::StatusCode;
    use axum::routing::get;
    use axum::{Json, Router};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Species {
        Cat,
        Dog,
        Bird,
    }

    #[derive(Deserialize)]
    struct NewPet {
        name: String,
        #[allow(dead_code)]
        species: Species,
        #[allow(dead_code)]
        age: i32,
        #[allow(dead_code)]
        weight_kg: f64,
        #[allow(dead_code)]
        vaccinated: bool,
        #[allow(dead_code)]
        owner: String,
        tags: Vec<String>,
        #[allow(dead_code)]
        color: String,
        #[allow(dead_code)]
        chip: String,
        #[allow(dead_code)]
        born: String,
    }

    #[derive(Serialize)]
    struct Pet {
        id: i64,
        name: String,
        species: Species,
        age: i32,
        weight_kg: f64,
        vaccinated: bool,
        owner: String,
        tags: Vec<String>,
        color: String,
        chip: String,
        born: String,
    }

    fn pet(id: i64) -> Pet {
        Pet {
            id,
            name: "Rex".into(),
            species: Species::Dog,
            age: 3,
            weight_kg: 21.5,
            vaccinated: true,
            owner: "Ada Lovelace".into(),
            tags: vec!["good".into(), "loud".into()],
            color: "brown".into(),
            chip: "123456789012345".into(),
            born: "2021-04-01".into(),
        }
    }

    #[derive(Deserialize)]
    struct ListQuery {
        limit: Option<i64>,
        #[allow(dead_code)]
        tag: Option<String>,
        #[allow(dead_code)]
        species: Option<Species>,
    }

    async fn list(Query(q): Query<ListQuery>) -> Json<Vec<Pet>> {
        let n = q.limit.unwrap_or(20).min(3);
        Json((1..=n).map(pet).collect())
    }

    async fn create(Json(body): Json<NewPet>) -> (StatusCode, Json<Pet>) {
        let mut created = pet(7);
        created.name = body.name;
        created.tags = body.tags;
        (StatusCode::CREATED, Json(created))
    }

    async fn one(Path(id): Path<i64>) -> Json<Pet> {
        Json(pet(id))
    }

    pub fn router() -> Router {
        Router::new()
            .route("/pets", get(list).post(create))
            .route("/pets/{id}", get(one))
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (which, addr) = (args.next(), args.next());
    let (Some(which), Some(addr)) = (which, addr) else {
        eprintln!("usage: overhead generated|hand ADDR");
        std::process::exit(2);
    };
    let app = match which.as_str() {
        "generated" => server::router(Pets),
        "hand" => hand::router(),
        other => {
            eprintln!("overhead: {other:?} is neither `generated` nor `hand`");
            std::process::exit(2);
        }
    };
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("the address is free");
    axum::serve(listener, app).await.expect("serving");
}
