//! The client benchmark: the generated client's calls against the same calls written by
//! hand with reqwest and serde (the same bearer token, bodies decoded into the same types),
//! against one server. The generated client is used as a user gets it from `Client::new()`:
//! retries, tracing spans and the hook loop all in place.
//!
//! Each workload runs in rounds that alternate which client goes first; in a round each
//! client makes as many calls as it can for the same time, from `TASKS` concurrent tasks on
//! this thread's runtime. Allocations per call are counted apart, from calls made one after
//! another (everything the call does, the connection's task included, runs on this thread).

use std::time::{Duration, Instant};

use openapi_gen_runtime::futures::StreamExt;
use openapi_gen_runtime::reqwest;

use crate::pets::{types, Client};
use crate::{alloc, TOKEN};

/// Concurrent calls in flight.
const TASKS: usize = 32;

/// What each workload's call makes: the number of items it received.
type Call = std::pin::Pin<Box<dyn std::future::Future<Output = usize> + Send>>;

#[derive(Clone)]
struct Clients {
    generated: Client,
    http: reqwest::Client,
    base: String,
}

fn new_pet() -> types::NewPet {
    types::NewPet {
        name: "Rex".into(),
        species: types::Species::Dog,
        age: 3,
        weight_kg: 21.5,
        vaccinated: true,
        owner: "Ada Lovelace".into(),
        tags: vec!["good".into(), "loud".into()],
        color: "brown".into(),
        chip: "123456789012345".into(),
        born: openapi_gen_runtime::chrono::NaiveDate::from_ymd_opt(2021, 4, 1).expect("a date"),
    }
}

/// The hand-written calls' client: reqwest with the timeout a careful author sets (reqwest
/// has none by default), the generated client's default of 30 seconds; `HAND_NO_TIMEOUT`
/// set: without one. It names itself as the generated client does (`User-Agent`, which
/// reqwest does not send by default), so that both send the same request.
fn hand_client() -> reqwest::Client {
    let builder = reqwest::Client::builder().user_agent(USER_AGENT);
    let builder = if std::env::var_os("HAND_NO_TIMEOUT").is_some() {
        builder
    } else {
        builder.timeout(Duration::from_secs(30))
    };
    builder.build().expect("a client")
}

/// The `User-Agent` both clients send: the generated client's default.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A hand-written call: sent, its status checked, its JSON body decoded.
async fn hand_json<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    request
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("a response")
        .json()
        .await
        .expect("a JSON body")
}

/// The workloads: a name, and one call by each client.
struct Workload {
    name: &'static str,
    generated: fn(Clients) -> Call,
    hand: fn(Clients) -> Call,
}

const WORKLOADS: &[Workload] = &[
    Workload {
        name: "GET /me/pets/{id} (bearer)",
        generated: |c| {
            Box::pin(async move {
                let pet = c.generated.get_my_pet(42).send().await.expect("a pet");
                usize::from(pet.id == 42)
            })
        },
        hand: |c| {
            Box::pin(async move {
                let pet: types::Pet = hand_json(
                    c.http
                        .get(format!("{}/me/pets/{}", c.base, 42))
                        .bearer_auth(TOKEN),
                )
                .await;
                usize::from(pet.id == 42)
            })
        },
    },
    Workload {
        name: "POST /pets (JSON body)",
        generated: |c| {
            Box::pin(async move {
                let pet = c
                    .generated
                    .create_pet(new_pet())
                    .send()
                    .await
                    .expect("a pet");
                usize::from(pet.id == 7)
            })
        },
        hand: |c| {
            Box::pin(async move {
                let pet: types::Pet =
                    hand_json(c.http.post(format!("{}/pets", c.base)).json(&new_pet())).await;
                usize::from(pet.id == 7)
            })
        },
    },
    Workload {
        name: "paginated stream (5 pages of 10)",
        generated: |c| {
            Box::pin(async move {
                let mut items = c.generated.list_owner_pets("ada").stream();
                let mut n = 0;
                while let Some(pet) = items.next().await {
                    std::hint::black_box(pet.expect("a pet"));
                    n += 1;
                }
                n
            })
        },
        hand: |c| {
            Box::pin(async move {
                let url = format!("{}/owners/{}/pets", c.base, "ada");
                let (mut cursor, mut n) = (None::<String>, 0);
                loop {
                    let mut request = c.http.get(&url);
                    if let Some(cursor) = &cursor {
                        request = request.query(&[("cursor", cursor)]);
                    }
                    let page: types::ListOwnerPetsResponse = hand_json(request).await;
                    let more = !page.pets.is_empty();
                    // Each item taken, as the stream hands them out.
                    for pet in page.pets {
                        std::hint::black_box(pet);
                        n += 1;
                    }
                    match page.next_cursor.into_option() {
                        Some(next) if more => cursor = Some(next),
                        _ => return n,
                    }
                }
            })
        },
    },
];

/// Calls per second of `call` from `TASKS` tasks for `time`, and the items received.
async fn rate(clients: &Clients, call: fn(Clients) -> Call, time: Duration) -> (f64, usize) {
    let start = Instant::now();
    let deadline = start + time;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let clients = clients.clone();
        tasks.spawn(async move {
            let (mut calls, mut items) = (0u64, 0usize);
            while Instant::now() < deadline {
                items += call(clients.clone()).await;
                calls += 1;
            }
            (calls, items)
        });
    }
    let (mut calls, mut items) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        let (c, i) = done.expect("a task");
        calls += c;
        items += i;
    }
    (calls as f64 / start.elapsed().as_secs_f64(), items)
}

/// Allocations per call of `call`, made one after another.
async fn allocations(clients: &Clients, call: fn(Clients) -> Call) -> f64 {
    let n = 2_000;
    for _ in 0..200 {
        call(clients.clone()).await;
    }
    let before = alloc::allocations();
    for _ in 0..n {
        call(clients.clone()).await;
    }
    (alloc::allocations() - before) as f64 / f64::from(n)
}

/// The clients of a benchmark against the server at `base`.
fn clients(base: &str) -> Clients {
    Clients {
        generated: Client::new().with_base_url(base).with_bearer(TOKEN),
        http: hand_client(),
        base: base.trim_end_matches('/').to_string(),
    }
}

/// The head of the first request sent on each connection to a proxy in front of `base`, in
/// the order the connections came: what a client put on the wire.
async fn heads_sent(base: &str, calls: &[fn(Clients) -> Call]) -> Vec<Vec<String>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let upstream = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let proxy = format!("http://{}", listener.local_addr().expect("an address"));
    let (sent, mut heads) = tokio::sync::mpsc::unbounded_channel();
    let accepting = tokio::spawn(async move {
        loop {
            let (mut inbound, _) = listener.accept().await.expect("a connection");
            let (upstream, sent) = (upstream.clone(), sent.clone());
            tokio::spawn(async move {
                let mut read = Vec::new();
                let mut buf = [0u8; 4096];
                while !read.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = inbound.read(&mut buf).await.expect("a request");
                    assert!(n > 0, "the connection closed before a request");
                    read.extend_from_slice(&buf[..n]);
                }
                let head = String::from_utf8_lossy(&read)
                    .split("\r\n\r\n")
                    .next()
                    .map(|h| {
                        // Header names in any case and order; `Host` names the proxy either way.
                        let mut lines: Vec<String> = h
                            .lines()
                            .map(|l| match l.split_once(':') {
                                Some((name, value)) => format!("{}:{value}", name.to_lowercase()),
                                None => l.to_string(),
                            })
                            .collect();
                        lines[1..].sort();
                        lines
                    });
                sent.send(head.unwrap_or_default()).expect("the receiver");
                let mut outbound = tokio::net::TcpStream::connect(&upstream)
                    .await
                    .expect("the server");
                outbound.write_all(&read).await.expect("forwarded");
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    let mut out = Vec::new();
    for call in calls {
        // A new pair of clients, so that each call opens its own connection.
        call(clients(&proxy)).await;
        out.push(heads.recv().await.expect("a request's head"));
    }
    accepting.abort();
    out
}

pub async fn bench(base: &str, seconds: f64, rounds: usize, only: &[usize]) {
    let clients = clients(base);
    let time = Duration::from_secs_f64(seconds);
    println!(
        "| call | generated (calls/s) | hand-written (calls/s) | generated / hand (lowest–highest) | allocations per call (generated, hand) |"
    );
    println!("|---|---:|---:|---:|---:|");
    let chosen = WORKLOADS
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_empty() || only.contains(i));
    for (_, w) in chosen {
        // Both calls receive the same: checked once, then warmed up.
        let (g, h) = (
            (w.generated)(clients.clone()).await,
            (w.hand)(clients.clone()).await,
        );
        assert_eq!(g, h, "{}: the two clients received different items", w.name);
        // And they sent the same: the same headers, the same body's length.
        let heads = heads_sent(base, &[w.generated, w.hand]).await;
        assert_eq!(
            heads[0], heads[1],
            "{}: the two clients sent different requests",
            w.name
        );
        rate(&clients, w.generated, Duration::from_millis(500)).await;
        rate(&clients, w.hand, Duration::from_millis(500)).await;
        let (mut gs, mut hs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            let (g, h) = if round % 2 == 0 {
                let g = rate(&clients, w.generated, time).await.0;
                (g, rate(&clients, w.hand, time).await.0)
            } else {
                let h = rate(&clients, w.hand, time).await.0;
                (rate(&clients, w.generated, time).await.0, h)
            };
            gs.push(g);
            hs.push(h);
            ratios.push(g / h);
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            let n = v.len();
            if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / 2.0
            }
        };
        let (lo, hi) = (
            ratios.iter().copied().fold(f64::INFINITY, f64::min),
            ratios.iter().copied().fold(0.0, f64::max),
        );
        let (g, h, r) = (median(&mut gs), median(&mut hs), median(&mut ratios));
        let (ag, ah) = (
            allocations(&clients, w.generated).await,
            allocations(&clients, w.hand).await,
        );
        println!(
            "| {} | {g:.0} | {h:.0} | {:.1}% ({:.1}–{:.1}%) | {ag:.0}, {ah:.0} |",
            w.name,
            100.0 * r,
            100.0 * lo,
            100.0 * hi
        );
    }
}

/// The workloads, a line each: number and name.
pub fn list() {
    for (i, w) in WORKLOADS.iter().enumerate() {
        println!("{i}\t{}", w.name);
    }
}

/// `n` calls of one workload by one client, one after another (to profile).
pub async fn calls(base: &str, workload: usize, which: &str, n: usize) {
    let clients = clients(base);
    let w = &WORKLOADS[workload];
    let call = if which == "hand" { w.hand } else { w.generated };
    if n == 0 {
        // At full rate for 5 seconds instead.
        let (rate, _) = rate(&clients, call, Duration::from_secs(5)).await;
        println!("{rate:.0} calls/s");
        return;
    }
    for _ in 0..n {
        call(clients.clone()).await;
    }
}
