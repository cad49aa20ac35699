//! The same small API (`pets.yaml`) served twice, for `scripts/bench-server.sh`: through
//! the generated router with a trivial implementation (full validation on, a bearer-token
//! authenticator), and written by hand on axum with serde, with the same checks written out
//! as a careful author would. And its generated client against the same calls written by
//! hand with reqwest and serde, for `scripts/bench-client.sh`.
//!
//!     overhead generated|hand ADDR                 serve
//!     overhead in-process [ROUNDS]                 each router as a service, no sockets
//!     overhead profile generated|hand ENDPOINT [N] one endpoint N times, to profile
//!     overhead endpoints                           ENDPOINT NAME TARGET, a line each
//!     overhead wrk-script ENDPOINT                 the endpoint's request, as a wrk Lua script
//!     overhead workloads                           the client's WORKLOAD NAME, a line each
//!     overhead client URL [SECONDS] [ROUNDS] [WORKLOAD...]
//!                                                  the client benchmark against a server
//!     overhead client-calls URL WORKLOAD generated|hand N
//!                                                  N calls one after another (0: 5 s at
//!                                                  full rate), to profile
//!
//! `in-process` calls each router as a `tower` service, without sockets or HTTP parsing
//! (which both servers share), and prints what one request costs each: the overhead
//! itself, free of the kernel's noise.

#[allow(dead_code)]
mod pets {
    include!(concat!(env!("OUT_DIR"), "/pets.rs"));
}

mod alloc;
mod client;
mod generated;
mod hand;

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

/// The bearer token both servers accept on `GET /me/pets/{id}`.
pub const TOKEN: &str = "s3cr3t-benchmark-token";

/// How many pages an owner's listing has.
pub const OWNER_PAGES: i64 = 5;

/// The page a cursor names (`None`: the first), if it names one.
pub fn page_of(cursor: Option<&str>) -> Option<i64> {
    match cursor {
        None => Some(0),
        Some(c) => c
            .strip_prefix('p')?
            .parse()
            .ok()
            .filter(|p| (0..OWNER_PAGES).contains(p)),
    }
}

/// A request of the benchmark.
struct Endpoint {
    name: &'static str,
    method: &'static str,
    target: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
}

const JSON: &[(&str, &str)] = &[("content-type", "application/json")];
const BEARER: &[(&str, &str)] = &[("authorization", "Bearer s3cr3t-benchmark-token")];

const NEW_PET: &str = r#"{"name":"Rex","species":"dog","age":3,"weight_kg":21.5,"vaccinated":true,"owner":"Ada Lovelace","tags":["good","loud"],"color":"brown","chip":"123456789012345","born":"2021-04-01"}"#;

/// A realistic order: a discriminated payment, five lines (an array of objects, two with
/// an array of options), nullable fields set, null and absent.
const NEW_ORDER: &str = r#"{"customer":"Ada Lovelace","note":null,"payment":{"method":"card","number":"4242424242424242","expiry":"12/29","holder":null},"lines":[{"sku":"DOG-0001","quantity":2,"unit_price":12.5,"gift_wrap":true,"options":[{"name":"size","value":"L"},{"name":"color","value":null}]},{"sku":"CAT-0002","quantity":1,"unit_price":3.99,"gift_wrap":null},{"sku":"TOY-0003","quantity":10,"unit_price":0.5},{"sku":"FOO-0004","quantity":1,"unit_price":99.0,"gift_wrap":false,"options":[{"name":"engraving","value":"Rex"}]},{"sku":"BED-0005","quantity":1,"unit_price":45.0,"gift_wrap":null,"options":[]}]}"#;

const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        name: "GET /pets/{id}",
        method: "GET",
        target: "/pets/42",
        headers: &[],
        body: "",
    },
    Endpoint {
        name: "POST /pets (10-field JSON)",
        method: "POST",
        target: "/pets",
        headers: JSON,
        body: NEW_PET,
    },
    Endpoint {
        name: "GET /pets?limit&tag&species",
        method: "GET",
        target: "/pets?limit=3&tag=good&species=dog",
        headers: &[],
        body: "",
    },
    Endpoint {
        name: "POST /orders (oneOf, nested arrays, nulls)",
        method: "POST",
        target: "/orders",
        headers: JSON,
        body: NEW_ORDER,
    },
    Endpoint {
        name: "GET /me/pets/{id} (bearer, authenticator)",
        method: "GET",
        target: "/me/pets/42",
        headers: BEARER,
        body: "",
    },
    Endpoint {
        name: "GET /owners/{owner}/pets?cursor&limit",
        method: "GET",
        target: "/owners/ada/pets?cursor=p2&limit=10",
        headers: &[],
        body: "",
    },
];

fn request(endpoint: usize) -> axum::http::Request<axum::body::Body> {
    let e = &ENDPOINTS[endpoint];
    let mut builder = axum::http::Request::builder()
        .method(e.method)
        .uri(e.target);
    for (name, value) in e.headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(axum::body::Body::from(e.body))
        .expect("a request")
}

/// Allocations (and reallocations) per request through `router` (building the request
/// included, which is the same for both), on this thread (`in-process` runs on one).
async fn allocations(router: &axum::Router, endpoint: usize) -> f64 {
    let n = 10_000;
    let before = alloc::allocations();
    per_request(router, endpoint, n).await;
    (alloc::allocations() - before) as f64 / f64::from(n)
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
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("a body");
        assert!(status.is_success(), "{status}: {body:?}");
        std::hint::black_box(body);
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

async fn in_process(rounds: usize) {
    // As `axum::serve` has them (`into_make_service`): handlers made routes up front.
    let routers = [
        generated::router().with_state(()),
        hand::router().with_state(()),
    ];
    println!(
        "| endpoint | generated (ns/request) | hand-written (ns/request) | generated − hand | allocations (generated, hand) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (endpoint, e) in ENDPOINTS.iter().enumerate() {
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
            "| {} | {g:.0} | {h:.0} | {:+.0} | {ag:.1}, {ah:.1} |",
            e.name,
            g - h
        );
    }
}

/// The endpoint's request as a `wrk` Lua script.
fn wrk_script(e: &Endpoint) -> String {
    let mut lua = format!("wrk.method = {:?}\n", e.method);
    for (name, value) in e.headers {
        lua += &format!("wrk.headers[{name:?}] = {value:?}\n");
    }
    if !e.body.is_empty() {
        lua += &format!("wrk.body = [==[{}]==]\n", e.body);
    }
    lua
}

fn usage() -> ! {
    eprintln!("usage: see the comment at the top of benches/overhead/src/main.rs");
    std::process::exit(2);
}

fn endpoint_arg(arg: Option<String>) -> usize {
    match arg.and_then(|e| e.parse().ok()) {
        Some(e) if e < ENDPOINTS.len() => e,
        _ => usage(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut rest = args.iter().skip(1).cloned();
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    };
    match args.first().map(String::as_str) {
        Some("in-process") => {
            let rounds = rest.next().and_then(|r| r.parse().ok()).unwrap_or(9);
            runtime().block_on(in_process(rounds));
        }
        Some("profile") => {
            let router = match rest.next().as_deref() {
                Some("hand") => hand::router(),
                Some("generated") => generated::router(),
                _ => usage(),
            }
            .with_state(());
            let endpoint = endpoint_arg(rest.next());
            let n = rest
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(2_000_000);
            let ns = runtime().block_on(per_request(&router, endpoint, n));
            println!("{ns:.0} ns/request");
        }
        Some("endpoints") => {
            for (i, e) in ENDPOINTS.iter().enumerate() {
                println!("{i}\t{}\t{}", e.name, e.target);
            }
        }
        Some("workloads") => client::list(),
        Some("wrk-script") => print!("{}", wrk_script(&ENDPOINTS[endpoint_arg(rest.next())])),
        Some("client") => {
            let url = rest.next().unwrap_or_else(|| usage());
            let seconds = rest.next().and_then(|s| s.parse().ok()).unwrap_or(2.0);
            let rounds = rest.next().and_then(|r| r.parse().ok()).unwrap_or(6);
            // The workloads to run (numbers, as `client-calls` takes them); none: all.
            let only: Vec<usize> = rest.filter_map(|w| w.parse().ok()).collect();
            runtime().block_on(client::bench(&url, seconds, rounds, &only));
        }
        Some("client-calls") => {
            let url = rest.next().unwrap_or_else(|| usage());
            let workload = rest.next().and_then(|w| w.parse().ok()).unwrap_or(0);
            let which = rest.next().unwrap_or_else(|| usage());
            let n = rest.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
            runtime().block_on(client::calls(&url, workload, &which, n));
        }
        Some(which @ ("generated" | "hand")) => {
            let addr = rest.next().unwrap_or_else(|| usage());
            let app = if which == "generated" {
                generated::router()
            } else {
                hand::router()
            };
            // Multi-threaded as a server is; TOKIO_WORKER_THREADS sets how many workers.
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(async {
                    let listener = tokio::net::TcpListener::bind(&addr)
                        .await
                        .expect("the address is free");
                    axum::serve(listener, app).await.expect("serving");
                });
        }
        _ => usage(),
    }
}
