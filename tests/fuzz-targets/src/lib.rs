//! The bodies of the fuzz targets in `fuzz/fuzz_targets/` (run with `cargo fuzz`, nightly),
//! written as plain functions so that `tests/smoke.rs` runs each for a few seconds on stable
//! in `cargo test`, and replays every input a campaign ever crashed on.
//!
//! Each function panics exactly when an invariant breaks; anything else is fine.

pub mod client_decode;
pub mod emit;
pub mod load_resolve;
pub mod server_request;
