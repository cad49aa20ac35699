//! A seconds-long smoke of each fuzz target on stable, in `cargo test`: the seeds (bundled
//! specs, fixtures), the inputs past campaigns crashed on (`tests/fixtures/fuzz/<target>/`),
//! then mutations of them from a fixed-seed generator, for a bounded number of runs. The
//! coverage-guided campaigns are `scripts/fuzz.sh` (nightly, cargo-fuzz).

mod common;

use common::{files, repo};
use std::time::{Duration, Instant};

/// How long each target's mutation phase may run.
const BUDGET: Duration = Duration::from_secs(3);

/// xorshift: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A mutation of `seed`: bytes flipped, inserted, removed, a run duplicated, a cut.
    fn mutate(&mut self, seed: &[u8]) -> Vec<u8> {
        let mut out = seed.to_vec();
        for _ in 0..1 + self.below(8) {
            let at = self.below(out.len() + 1);
            match self.below(6) {
                0 if !out.is_empty() => {
                    let (i, bit) = (at.min(out.len() - 1), self.below(8));
                    out[i] ^= 1 << bit;
                }
                1 => out.insert(at, self.next() as u8),
                2 if at < out.len() => {
                    out.remove(at);
                }
                3 if at < out.len() => {
                    let end = (at + self.below(64)).min(out.len());
                    let run = out[at..end].to_vec();
                    out.splice(at..at, run);
                }
                4 => out.truncate(at),
                _ => out.extend((0..self.below(32)).map(|_| self.next() as u8)),
            }
        }
        out
    }
}

fn smoke(target: &str, seeds: Vec<Vec<u8>>, run: fn(&[u8])) {
    let regressions = files(&repo().join("tests/fixtures/fuzz").join(target));
    for input in regressions.iter().chain(&seeds) {
        run(input);
    }
    let mut pool: Vec<Vec<u8>> = seeds.into_iter().chain(regressions).collect();
    pool.push(Vec::new());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let mut runs = 0;
    while started.elapsed() < BUDGET && runs < 20_000 {
        let seed = &pool[rng.below(pool.len())];
        let input = if rng.below(8) == 0 {
            (0..rng.below(256)).map(|_| rng.next() as u8).collect()
        } else {
            rng.mutate(seed)
        };
        run(&input);
        runs += 1;
    }
    assert!(runs > 0, "{target}: no input ran");
}

fn spec_seeds() -> Vec<Vec<u8>> {
    let mut seeds = files(&repo().join("specs"));
    seeds.extend(files(&repo().join("tests/fixtures/codegen")));
    seeds
}

fn random_seeds(n: usize, len: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng(42);
    (0..n)
        .map(|_| (0..len).map(|_| rng.next() as u8).collect())
        .collect()
}

#[test]
fn load_resolve() {
    smoke(
        "load_resolve",
        spec_seeds(),
        fuzz_targets::load_resolve::run,
    );
}

#[test]
fn emit() {
    smoke("emit", random_seeds(64, 512), fuzz_targets::emit::run);
}

#[test]
fn client_decode() {
    let mut seeds = random_seeds(32, 128);
    seeds.push(br#"{"errors":[{"message":"x"}],"results":[{"id":1}]}"#.to_vec());
    smoke("client_decode", seeds, fuzz_targets::client_decode::run);
}

#[test]
fn server_request() {
    smoke(
        "server_request",
        random_seeds(64, 256),
        fuzz_targets::server_request::run,
    );
}
