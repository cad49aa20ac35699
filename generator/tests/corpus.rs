//! The real-world specs in `tests/corpus/files/` (copied from the owners' repositories; see
//! `tests/corpus/MANIFEST.tsv`): each one resolves, or fails with the precise diagnostic
//! expected for it. Nothing panics.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

/// The corpus folder. Missing, it fails the test, naming what is missing: a test never
/// passes by checking nothing.
fn corpus() -> PathBuf {
    let dir = corpus_root().join("files");
    assert!(
        dir.is_dir(),
        "the corpus is missing: {} should hold the specs listed in tests/corpus/MANIFEST.tsv",
        dir.display()
    );
    dir
}

/// Specs the generator rejects, with the reason it must give: none since OpenAPI 3.1 and
/// Swagger 2.0 are read.
const REJECTED: &[(&str, &str, &str)] = &[];

/// The version `validate` must report for specs that are not OpenAPI 3.0.
const CONVERTED: &[(&str, &str)] = &[
    ("mailchimp__transactional.json", "OpenAPI 3.1.0"),
    ("sendgrid__mail-v3.yaml", "OpenAPI 3.1.0"),
    ("slack__web-api.json", "Swagger 2.0 → model"),
];

#[test]
fn every_corpus_spec_resolves_or_is_rejected_precisely() {
    let dir = corpus();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 20, "corpus has {} files", files.len());
    let mut resolved = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let outcome = openapi_gen::load_file(path);
        match (REJECTED.iter().find(|(f, ..)| *f == name), outcome) {
            (None, Ok(r)) => {
                match CONVERTED.iter().find(|(f, _)| *f == name) {
                    Some((_, source)) => assert_eq!(r.source.to_string(), *source, "{name}"),
                    None => assert!(
                        r.source.to_string().starts_with("OpenAPI 3.0"),
                        "{name}: {}",
                        r.source
                    ),
                }
                assert!(
                    !r.api.operations.is_empty() || name.contains("param"),
                    "{name}: no operations"
                );
                resolved += 1;
            }
            (None, Err(e)) => panic!("{name} should resolve: {e:#?}"),
            (Some((_, pointer, message)), Err(openapi_gen::Error::Spec(report))) => {
                let d = &report.diagnostics[0];
                assert_eq!(d.pointer.as_deref(), Some(*pointer), "{name}");
                assert!(d.message.contains(message), "{name}: {}", d.message);
                assert!(d.line_col.is_some(), "{name}: no position");
            }
            (Some(_), other) => panic!("{name} should be rejected, got {other:?}"),
        }
    }
    assert_eq!(resolved, files.len() - REJECTED.len());
}

/// Paginated operations `inspect` reports, by style, for the large public APIs: GitHub pages
/// its lists by `Link` header, Oxide's Nexus by Dropshot's `page_token` / `next_page`.
#[test]
fn the_large_public_apis_page_as_they_do() {
    use openapi_gen::ir::PaginationKind;
    let dir = corpus();
    let count = |file: &str| {
        let api = openapi_gen::load_file(&dir.join(file)).unwrap().api;
        let mut by_style = [0usize; 3];
        for p in api.operations.iter().filter_map(|o| o.pagination.as_ref()) {
            by_style[match p.kind {
                PaginationKind::Link { .. } => 0,
                PaginationKind::Cursor { .. } => 1,
                PaginationKind::Page { .. } => 2,
            }] += 1;
        }
        by_style
    };
    let [link, cursor, page] = count("progenitor__api-github-com.json");
    assert!(link >= 140, "GitHub: {link} Link-paginated lists");
    assert_eq!(link + cursor + page, 185, "GitHub: {link}/{cursor}/{page}");
    assert_eq!(count("progenitor__nexus.json"), [0, 43, 0], "Nexus");
}

/// Every file of the corpus is listed in the manifest with its source, version, licence and
/// checksum, and is byte for byte what the manifest says.
#[test]
fn the_manifest_records_every_corpus_file() {
    let dir = corpus();
    let manifest = std::fs::read_to_string(corpus_root().join("MANIFEST.tsv")).unwrap();
    let mut lines = manifest.lines();
    let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (file, source, version, sha, bytes, licence) = (
        col("file"),
        col("source"),
        col("commit_or_version"),
        col("sha256"),
        col("bytes"),
        col("licence"),
    );
    let mut listed = Vec::new();
    for line in lines {
        let row: Vec<&str> = line.split('\t').collect();
        let name = row[file];
        for c in [source, version, licence] {
            assert!(!row[c].trim().is_empty(), "{name}: empty {}", head[c]);
        }
        let data = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(data.len().to_string(), row[bytes], "{name}: size");
        let digest: String = Sha256::digest(&data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest, row[sha], "{name}: sha256");
        listed.push(name.to_string());
    }
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    listed.sort();
    assert_eq!(present, listed, "files and manifest rows differ");
}

/// `validate` prints a warning that applies to many places once, with its count and first
/// places (Twilio's spec: one sentence for the 32 paths that give their own `servers`); `--verbose` lists every place.
#[test]
fn validate_groups_repeated_warnings() {
    let spec = corpus().join("twilio__messaging-v1.yaml");
    let run = |verbose: bool| {
        let mut args = vec![
            "openapi-gen".into(),
            "validate".into(),
            spec.clone().into_os_string(),
        ];
        if verbose {
            args.push("--verbose".into());
        }
        let mut out = Vec::new();
        let code = openapi_gen::cli::run(args, &mut out, &mut Vec::new());
        (code, String::from_utf8(out).unwrap())
    };
    let (code, grouped) = run(false);
    let (verbose_code, every) = run(true);
    assert_eq!((code, verbose_code), (0, 0));
    let warnings = |text: &str| text.matches(": warning: ").count();
    assert_eq!(warnings(&every), 32, "{every}");
    assert_eq!(warnings(&grouped), 1, "{grouped}");
    assert!(grouped.contains("(32 places)"), "{grouped}");
    assert_eq!(grouped.matches("\n  also at ").count(), 2, "{grouped}");
    assert!(
        grouped.contains("and 29 more (--verbose lists every place)"),
        "{grouped}"
    );
    // The summary counts every place either way.
    assert!(grouped.trim_end().ends_with("32 warnings"), "{grouped}");
}
