//! `openapi-gen mock`: a server for any spec, straight from its model, without compiling
//! Rust. Requests go through the runtime's validating dispatcher with the same table a
//! generated server carries (`emit::table`), so they are refused exactly as the generated
//! server refuses them, in the spec's error shape. A valid request is answered with a
//! documented response: its example, or a value synthesized from its schema (`synth`).
//!
//! Like Prism, a request may ask (`Prefer` header) for a status (`code=404`), a named
//! example (`example=missing`) or values drawn at random (`dynamic=true`); otherwise the
//! answer is the lowest documented success, its first example or the value the seed makes.

mod answer;
mod pages;
pub mod proxy;
pub mod roundtrip;
mod state;
mod synth;
mod table;
mod typed;

use std::sync::Arc;

use openapi_gen_runtime::server::{axum, Config, Dispatcher};

pub use synth::{Direction, Synth};

use crate::ir::Api;

/// How a mock answers.
#[derive(Debug, Clone, Copy, Default)]
pub struct MockOptions {
    /// The seed of synthesized values: the same seed, the same answers.
    pub seed: u64,
    /// Resources created are kept, listed, changed and deleted (see `state`).
    pub stateful: bool,
}

/// A router serving `api` at its paths: every operation validated as the generated server
/// validates it, and answered from the spec.
pub fn router(api: &Api, options: MockOptions) -> axum::Router {
    let shared = Arc::new(api.clone());
    let store = Arc::new(state::Store::default());
    let roles = state::roles(api);
    let mut dispatcher = Dispatcher::new(table::api(api), Config::default());
    for (index, (op, role)) in api.operations.iter().zip(roles).enumerate() {
        let answer = Arc::new(answer::Answer::new(
            Arc::clone(&shared),
            index,
            options,
            role,
            Arc::clone(&store),
        ));
        dispatcher = dispatcher.operation(table::operation(api, op), move |input| {
            let answer = Arc::clone(&answer);
            Box::pin(async move { answer.reply(input) })
        });
    }
    dispatcher.into_router()
}

/// Serves `apis` on `bind` until the process is interrupted (see [`app`]), printing where to
/// `out` once it listens; with `proxy`, forwards to that API instead (one spec), and prints
/// the summary of what did not conform to `summary` at exit.
pub fn serve(
    apis: &[Api],
    bind: &str,
    options: MockOptions,
    proxy: Option<&str>,
    out: &mut dyn std::io::Write,
    summary: &mut dyn std::io::Write,
) -> Result<(), String> {
    let report = Arc::new(proxy::Report::default());
    let (app, mounts) = match (proxy, apis) {
        (Some(upstream), [api]) => (
            proxy::router(api, upstream, Arc::clone(&report)),
            vec![(
                format!("{} (proxy to {upstream})", api.title),
                "/".to_string(),
            )],
        ),
        _ => app(apis, options),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the mock's runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        for (title, at) in &mounts {
            let _ = writeln!(out, "mock: {title} at http://{addr}{at}");
        }
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("the mock stopped: {e}"))
    })?;
    if proxy.is_some() {
        let _ = writeln!(summary, "{}", report.summary());
    }
    Ok(())
}

/// The router serving `apis`: one API at the root, several each under `/<module>`, and
/// where each is served.
pub fn app(apis: &[Api], options: MockOptions) -> (axum::Router, Vec<(String, String)>) {
    match apis {
        [one] => (router(one, options), vec![(one.title.clone(), "/".into())]),
        several => {
            let mut app = axum::Router::new();
            let mut mounts = Vec::new();
            for api in several {
                let at = format!("/{}", api.module);
                app = app.nest(&at, router(api, options));
                mounts.push((api.title.clone(), at));
            }
            (app, mounts)
        }
    }
}
