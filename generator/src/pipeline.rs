//! The pipeline from a spec file to the model: load, bundle, convert, check, parse,
//! resolve. The command line, the build-script builder and tests all enter here.

use std::path::{Path, PathBuf};

use crate::convert::{self, Source};
use crate::diagnostics::{self, Diagnostic, Report};
use crate::{bundle, ir, load, pointer, resolve, structure};

/// Why a spec could not be turned into a model.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// The spec has errors; the report has every diagnostic, warnings included.
    #[error("{} has {} error(s)", .0.path.display(), .0.count(diagnostics::Severity::Error))]
    Spec(Report),
}

/// A spec turned into the model, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The API model.
    pub api: ir::Api,
    /// The warnings found on the way (no errors).
    pub report: Report,
    /// The version the spec was written in (OpenAPI 3.0, 3.1 or Swagger 2.0).
    pub source: Source,
    /// The other files the spec references (`$ref: common.yaml#/...`), as read.
    pub files: Vec<PathBuf>,
}

/// How to read a spec file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The folder whose files references may read (default: the spec's folder).
    pub ref_root: Option<PathBuf>,
    /// Refuse a spec that breaks a rule of its OpenAPI version, even one with an obvious
    /// reading: every [`Diagnostic::lenient`] warning becomes an error at the same place.
    pub strict: bool,
}

/// Reads and resolves the spec at `path`, and the files it references under its folder. The
/// module name comes from the file name.
pub fn load_file(path: &Path) -> Result<Resolved, Error> {
    load_file_with(path, &LoadOptions::default())
}

/// [`load_file`] with options.
pub fn load_file_with(path: &Path, options: &LoadOptions) -> Result<Resolved, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = load::text(bytes).map_err(|d| {
        Error::Spec(Report {
            path: path.to_path_buf(),
            diagnostics: vec![*d],
        })
    })?;
    let module = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "api".to_string());
    let ref_root = options.ref_root.clone().unwrap_or_else(|| {
        let dir = path.parent().unwrap_or(Path::new(""));
        if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir.to_path_buf()
        }
    });
    let resolved = resolve_document(path, &text, &module, Some(&ref_root));
    match resolved {
        Ok(mut r) => {
            if options.strict && r.report.make_strict() {
                return Err(Error::Spec(r.report));
            }
            Ok(r)
        }
        Err(mut report) => {
            if options.strict {
                report.make_strict();
            }
            Err(Error::Spec(report))
        }
    }
}

/// Resolves a spec given as text. `path` is only used in diagnostics; references to other
/// files are not followed (they are errors).
pub fn resolve_text(path: &Path, text: &str, module: &str) -> Result<Resolved, Report> {
    resolve_document(path, text, module, None)
}

/// The model of a spec given as text, for unit tests: panics with the diagnostics if it
/// has errors.
#[cfg(test)]
pub(crate) fn test_api(yaml: &str) -> crate::ir::Api {
    match resolve_text(Path::new("test.yaml"), yaml, "test") {
        Ok(r) => r.api,
        Err(report) => panic!("{:#?}", report.diagnostics),
    }
}

/// The front end: parse, bring in referenced files (when `ref_root` allows reading them),
/// convert 3.1 and 2.0 into 3.0, resolve; every diagnostic located in the file it is about.
fn resolve_document(
    path: &Path,
    text: &str,
    module: &str,
    ref_root: Option<&Path>,
) -> Result<Resolved, Report> {
    let mut files = Vec::new();
    let (api, mut diags, source) = match load::parse(text) {
        Ok(mut raw) => {
            // OpenAPI 3.2's `$self`: references by the document's own URI are local.
            convert::own_uri(&mut raw);
            let mut bundled = match ref_root {
                Some(root) => bundle::bundle(&mut raw, path, root),
                None => bundle::Bundle::default(),
            };
            // 3.1 and 2.0 become 3.0; what is found on the rewritten document is reported
            // where the user wrote it.
            let converted = convert::to_openapi_30(&mut raw);
            let blocked = bundled.diagnostics.iter().any(Diagnostic::is_error)
                || converted.diagnostics.iter().any(Diagnostic::is_error);
            let (mut api, mut found) = if blocked {
                (None, Vec::new())
            } else {
                resolve_value(raw, module)
            };
            for d in &mut found {
                if let Some(p) = &mut d.pointer {
                    *p = converted.map.original(p);
                }
                d.message = converted.map.original_in_text(&d.message);
            }
            if let Some(api) = &mut api {
                convert::remap(api, &converted.map);
            }
            let mut diags = std::mem::take(&mut bundled.diagnostics);
            diags.extend(converted.diagnostics);
            diags.extend(found);
            for d in &mut diags {
                bundled.relocate(d);
            }
            files = bundled.files;
            (api, diags, converted.source)
        }
        Err(d) => (None, vec![*d], Source::OpenApi30(String::new())),
    };
    // The same finding at the same place once (a path-level fault is met by each method).
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| {
        seen.insert((
            d.severity,
            d.pointer.clone(),
            d.file.clone(),
            d.message.clone(),
        ))
    });
    diagnostics::locate(&mut diags, text);
    for f in &files {
        diagnostics::locate_in(&mut diags, Some(&f.path), &f.text);
    }
    let files = files.into_iter().map(|f| f.path).collect();
    let report = Report {
        path: path.to_path_buf(),
        diagnostics: diags,
    };
    match api {
        Some(api) if !report.has_errors() => Ok(Resolved {
            api,
            report,
            source,
            files,
        }),
        _ => Err(report),
    }
}

/// An OpenAPI 3.0 document (as JSON) → the model: structural checks, typed parse, resolve.
fn resolve_value(mut raw: serde_json::Value, module: &str) -> (Option<ir::Api>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    load::clamp_wide_integers(&mut raw, "#", &mut diags);
    diags.extend(structure::check(&mut raw));
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let typed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw)
    }));
    let doc = match typed {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            let pointer = path_to_pointer(e.path());
            diags.push(Diagnostic::error(pointer, e.into_inner().to_string()));
            return (None, diags);
        }
        Err(_) => {
            diags.push(Diagnostic::error(
                "#",
                "internal error: the OpenAPI parser panicked on this document; please report it",
            ));
            return (None, diags);
        }
    };
    let (api, more) = resolve::resolve(&doc, &raw, module);
    diags.extend(more);
    (api, diags)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    pointer::pointer(segments)
}
