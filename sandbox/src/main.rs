//! `sandbox`: serves the SparkPost Subaccounts and Cakemail Partner APIs locally.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use sandbox::{Partners, Sandbox, Storage};

/// A local partner sandbox for the SparkPost Subaccounts API (under /sparkpost) and the
/// Cakemail Partner API (under /cakemail). Requests are validated against the specs; data
/// is kept in SQLite.
#[derive(Debug, Parser)]
#[command(name = "sandbox", version)]
struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8025", env = "SANDBOX_BIND")]
    bind: SocketAddr,
    /// The folder of the database (`sandbox.sqlite3`).
    #[arg(long, default_value = "sandbox-data", env = "SANDBOX_DATA")]
    data_dir: PathBuf,
    /// Keep data in memory only (lost on exit).
    #[arg(long, conflicts_with = "data_dir")]
    in_memory: bool,
    /// A partner and its secret, `name=secret` (repeatable). The secret is the SparkPost API
    /// key (`Authorization: <secret>`) and the Cakemail token (`Authorization: Bearer
    /// <secret>`). Given at least once, it replaces the default partner.
    #[arg(long = "partner", value_parser = parse_partner, default_value = "partner=sandbox-secret")]
    partners: Vec<(String, String)>,
    /// The largest request body accepted, in bytes (larger ones: 413).
    #[arg(long, default_value_t = 1024 * 1024, env = "SANDBOX_BODY_LIMIT")]
    body_limit: usize,
}

fn parse_partner(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, secret)) if !name.is_empty() && !secret.is_empty() => {
            Ok((name.to_string(), secret.to_string()))
        }
        _ => Err(format!("{s:?} is not `name=secret`")),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_max_level(tracing::Level::INFO)
        .init();
    let storage = if args.in_memory {
        Storage::Memory
    } else {
        Storage::Dir(args.data_dir.clone())
    };
    let sandbox = match Sandbox::open(&storage, Partners::new(args.partners.clone())) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.bind).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("sandbox: cannot listen on {}: {e}", args.bind);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.bind);
    tracing::info!(
        "listening on http://{addr} (SparkPost: /sparkpost, Cakemail: /cakemail), data: {}",
        match &storage {
            Storage::Dir(d) => d.join("sandbox.sqlite3").display().to_string(),
            Storage::Memory => "in memory".to_string(),
        }
    );
    let config = openapi_gen_runtime::server::Config::default().body_limit(args.body_limit);
    let app = sandbox.router(config);
    // On SIGINT or SIGTERM: stop accepting, finish the requests in flight, then exit.
    let shutdown = async {
        let interrupt = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = interrupt => {}
            () = terminate => {}
        }
        tracing::info!("shutting down: finishing the requests in flight");
    };
    if let Err(e) = openapi_gen_runtime::server::axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("sandbox: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
