//! The real-world specs in `../shared/corpus/files/` (when present): each one resolves, or
//! fails with the precise diagnostic expected for it. Nothing panics.

use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/files");
    dir.is_dir().then_some(dir)
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
    let Some(dir) = corpus() else {
        eprintln!("no corpus beside the repository; skipping");
        return;
    };
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
    let Some(dir) = corpus() else {
        eprintln!("no corpus beside the repository; skipping");
        return;
    };
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
