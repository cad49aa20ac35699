//! The same small API (`pets.yaml`) served twice, for `scripts/bench-server.sh`: through
//! the generated router with a trivial implementation (full validation on), and written by
//! hand on axum with serde (the same JSON bodies, the checks serde's types make).
//!
//!     overhead generated|hand ADDR
//!     overhead in-process [ROUNDS]
//!     overhead profile generated|hand 0|1|2 [N]     (one endpoint N times, to profile)
//!
//! `in-process` calls each router as a `tower` service, without sockets or HTTP parsing
//! (which both servers share), and prints what one request costs each: the overhead
//! itself, free of the kernel's noise.

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

/// Counts allocations (for `in-process`), so that each router's allocations per request can
/// be told.
struct Counting;

thread_local! {
    /// This thread's allocations so far (a `Cell` without destructor: safe to touch from
    /// the allocator, and cheaper than an atomic).
    static ALLOCATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn count_allocation() {
    ALLOCATIONS.with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is passed to the system allocator as it is.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: as the caller promises for `layout`.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from `alloc` with `layout`.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        count_allocation();
        // SAFETY: as the caller promises for `ptr` and `layout`.
        unsafe { std::alloc::System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The requests of the benchmark: GET by id, POST of a 10-field body, a list with a query.
const POST_BODY: &str = r#"{"name":"Rex","species":"dog","age":3,"weight_kg":21.5,"vaccinated":true,"owner":"Ada Lovelace","tags":["good","loud"],"color":"brown","chip":"123456789012345","born":"2021-04-01"}"#;

fn request(endpoint: usize) -> axum::http::Request<axum::body::Body> {
    let builder = axum::http::Request::builder();
    match endpoint {
        0 => builder.uri("/pets/42").body(axum::body::Body::empty()),
        1 => builder
            .method("POST")
            .uri("/pets")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(POST_BODY)),
        _ => builder
            .uri("/pets?limit=3&tag=good&species=dog")
            .body(axum::body::Body::empty()),
    }
    .expect("a request")
}

/// Allocations (and reallocations) per request through `router` (building the request
/// included, which is the same for both), on this thread (`in-process` runs on one).
async fn allocations(router: &axum::Router, endpoint: usize) -> f64 {
    let n = 10_000;
    let before = ALLOCATIONS.with(std::cell::Cell::get);
    per_request(router, endpoint, n).await;
    (ALLOCATIONS.with(std::cell::Cell::get) - before) as f64 / f64::from(n)
}

/// Nanoseconds per request through `router`, over `n` requests to `endpoint` (on one
/// thread, without I/O: CPU time).
async fn per_request(router: &axum::Router, endpoint: usize, n: u32) -> f64 {
    use tower::ServiceExt;
    let start = std::time::Instant::now();
    for _ in 0..n {
        let response = router
            .clone()
            .oneshot(request(endpoint))
            .await
            .expect("infallible");
        assert!(response.status().is_success(), "{}", response.status());
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("a body");
        std::hint::black_box(body);
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

async fn in_process(rounds: usize) {
    // As `axum::serve` has them (`into_make_service`): handlers made routes up front.
    let routers = [
        server::router(Pets).with_state(()),
        hand::router().with_state(()),
    ];
    let names = [
        "GET /pets/{id}",
        "POST /pets (10-field JSON)",
        "GET /pets?limit&tag&species",
    ];
    println!(
        "| endpoint | generated (ns/request) | hand-written (ns/request) | generated − hand | allocations (generated, hand) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (endpoint, name) in names.iter().enumerate() {
        let mut times = [Vec::new(), Vec::new()];
        for router in &routers {
            per_request(router, endpoint, 20_000).await; // warm up
        }
        for round in 0..rounds {
            // Alternate which goes first, against drift.
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for i in order {
                times[i].push(per_request(&routers[i], endpoint, 50_000).await);
            }
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (g, h) = (median(&mut times[0]), median(&mut times[1]));
        let (ag, ah) = (
            allocations(&routers[0], endpoint).await,
            allocations(&routers[1], endpoint).await,
        );
        println!(
            "| {name} | {g:.0} | {h:.0} | {:+.0} | {ag:.1}, {ah:.1} |",
            g - h
        );
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("in-process") => {
            let rounds = args.next().and_then(|r| r.parse().ok()).unwrap_or(9);
            return in_process(rounds).await;
        }
        // One router and endpoint for a while, to profile: `profile generated|hand 0|1|2`.
        Some("profile") => {
            let router = match args.next().as_deref() {
                Some("hand") => hand::router(),
                _ => server::router(Pets),
            }
            .with_state(());
            let endpoint = args.next().and_then(|e| e.parse().ok()).unwrap_or(0);
            let n = args.next().and_then(|n| n.parse().ok()).unwrap_or(2_000_000);
            let ns = per_request(&router, endpoint, n).await;
            return println!("{ns:.0} ns/request");
        }
        _ => {}
    }
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
