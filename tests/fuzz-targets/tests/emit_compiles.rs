//! The slower half of the `emit` target's invariant: what the generator writes for the specs
//! the fuzzer builds must not only parse but compile, warning-free, client and server. On
//! demand (`bash scripts/fuzz.sh compile [N]`), not in `cargo test`: it generates one crate
//! per sampled input and runs `cargo check` over them (minutes).
//!
//! The sample: every input a campaign crashed on (`tests/fixtures/fuzz/emit/`), then inputs
//! spread evenly over the campaign's corpus (`fuzz/corpus/emit/`, the crashes' neighbours),
//! then, if those are fewer than `EMIT_SAMPLE` (default 16), inputs from a fixed-seed
//! generator. Only inputs that describe a spec the generator accepts count.

mod common;

use std::path::Path;
use std::process::Command;

use fuzz_targets::emit::spec_text;
use openapi_gen::generate::{crate_files, write, CrateOptions, RuntimeDep};

use common::{files, repo};

/// Up to `n` items of `all`, evenly spread.
fn spread(all: Vec<Vec<u8>>, n: usize) -> Vec<Vec<u8>> {
    if all.len() <= n {
        return all;
    }
    let step = all.len() as f64 / n as f64;
    (0..n)
        .map(|i| all[(i as f64 * step) as usize].clone())
        .collect()
}

#[test]
#[ignore = "minutes: run with scripts/fuzz.sh compile"]
fn generated_code_of_fuzzed_specs_compiles() {
    let want: usize = std::env::var("EMIT_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let repo = repo();
    let mut candidates = files(&repo.join("tests/fixtures/fuzz/emit"));
    candidates.extend(spread(files(&repo.join("fuzz/corpus/emit")), want * 4));
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..want * 64 {
        let bytes = (0..512)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        candidates.push(bytes);
    }

    let work = repo.join("target/emit-sample");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let runtime = std::fs::canonicalize(repo.join("runtime")).unwrap();
    let mut members = Vec::new();
    for data in candidates {
        if members.len() == want {
            break;
        }
        let Some(text) = spec_text(&data) else {
            continue;
        };
        let Ok(resolved) = openapi_gen::resolve_text(Path::new("fuzz.json"), &text, "fuzz") else {
            continue;
        };
        let name = format!("sample{}", members.len());
        let options = CrateOptions {
            runtime: RuntimeDep::Path(runtime.display().to_string()),
            ..CrateOptions::new(name.clone())
        };
        let files = crate_files(std::slice::from_ref(&resolved.api), &options)
            .unwrap_or_else(|e| panic!("the generator failed on a spec it accepted: {e}\n{text}"));
        write(&work.join(&name), &files).unwrap();
        std::fs::write(work.join(&name).join("spec.json"), &text).unwrap();
        members.push(name);
    }
    assert!(!members.is_empty(), "no input described a spec");
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .unwrap();
    // The repository's lock file: the same dependency versions, offline.
    std::fs::copy(repo.join("Cargo.lock"), work.join("Cargo.lock")).unwrap();
    let status = Command::new(env!("CARGO"))
        .args([
            "check",
            "--workspace",
            "--all-features",
            "--quiet",
            "--offline",
        ])
        .current_dir(&work)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", work.join("target"))
        .status()
        .unwrap();
    assert!(
        status.success(),
        "a generated crate does not compile: see {} (each crate has its spec.json)",
        work.display()
    );
    eprintln!("{} generated crates compile", members.len());
}
