//! Generation speed, read as a ratio to parsing. For each seed spec and each large corpus
//! spec the generator accepts: the baseline (serde into `openapiv3::OpenAPI`, what any tool
//! must do), then load + check + resolve into the model, then emitting the formatted client,
//! then the formatted client and server.
//!
//! `cargo bench -p openapi-gen`

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn specs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = vec![
        (
            "sparkpost".to_string(),
            root.join("specs/sparkpost-subaccounts.yaml"),
        ),
        (
            "cakemail".to_string(),
            root.join("specs/cakemail-partner.yaml"),
        ),
    ];
    let corpus = root.join("tests/corpus/files");
    for (name, file) in [
        ("github", "progenitor__api-github-com.json"),
        ("digitalocean", "digitalocean__v2.json"),
        ("nexus", "progenitor__nexus.json"),
        ("twilio", "twilio__messaging-v1.yaml"),
    ] {
        out.push((name.to_string(), corpus.join(file)));
    }
    out
}

fn parse_baseline(text: &str) -> openapiv3::OpenAPI {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).expect("parses")
    } else {
        serde_yaml::from_str(text).expect("parses")
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    for (name, path) in specs() {
        let text = std::fs::read_to_string(&path).expect("reads");
        group.bench_with_input(
            BenchmarkId::new("1 parse only (baseline)", &name),
            &text,
            |b, text| b.iter(|| parse_baseline(text)),
        );
        group.bench_with_input(
            BenchmarkId::new("2 load+resolve", &name),
            &text,
            |b, text| b.iter(|| openapi_gen::resolve_text(&path, text, "api").expect("resolves")),
        );
        let api = openapi_gen::resolve_text(&path, &text, "api")
            .expect("resolves")
            .api;
        group.bench_with_input(BenchmarkId::new("3 emit client", &name), &api, |b, api| {
            b.iter(|| openapi_gen::emit::module_source(api).expect("emits"))
        });
        let both = openapi_gen::emit::Options {
            server: true,
            ..Default::default()
        };
        group.bench_with_input(
            BenchmarkId::new("4 emit client+server", &name),
            &api,
            |b, api| b.iter(|| openapi_gen::emit::module_source_with(api, &both).expect("emits")),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
