//! Diagnostics are data: a severity, a location and a message, rendered once at the edge
//! (the CLI or a build script). Nothing below the edge prints.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::source_map::SourceMap;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Generation goes on; the output may be less precise than the spec intends.
    Warning,
    /// The spec cannot be turned into correct code.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding about a spec: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// An error stops generation; a warning says what was assumed.
    pub severity: Severity,
    /// A JSON pointer into the document, as a URI fragment (`#/paths/~1pets/get`).
    pub pointer: Option<String>,
    /// 1-based line and column, when the error comes from the parser or the pointer could be
    /// located in the source text.
    pub line_col: Option<(usize, usize)>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// A hint on how to fix it.
    pub help: Option<String>,
    /// The file the pointer and position are in, when it is not the spec itself but a file
    /// the spec references (`$ref: common.yaml#/...`).
    pub file: Option<PathBuf>,
    /// The spec breaks a rule of its OpenAPI version and was read as its author meant (the
    /// message says how). A warning by default; an error under `--strict`
    /// ([`Report::make_strict`]).
    pub lenient: bool,
}

impl Diagnostic {
    /// An error at a JSON pointer (`#/...`).
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, pointer, message)
    }

    /// A warning at a JSON pointer (`#/...`).
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, pointer, message)
    }

    /// A rule the spec breaks, read as its author meant: a warning whose message says what
    /// was assumed, and an error under `--strict`.
    pub fn lenient(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            lenient: true,
            ..Self::new(Severity::Warning, pointer, message)
        }
    }

    fn new(severity: Severity, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            pointer: Some(pointer.into()),
            line_col: None,
            message: message.into(),
            help: None,
            file: None,
            lenient: false,
        }
    }

    /// An error at a position in the text, with no pointer (syntax errors).
    pub fn syntax(line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: None,
            line_col: Some((line, column)),
            message: message.into(),
            help: None,
            file: None,
            lenient: false,
        }
    }

    /// Says which referenced file the diagnostic is in.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of one spec file, with what is needed to render them.
#[derive(Debug, Clone)]
pub struct Report {
    /// The spec file.
    pub path: PathBuf,
    /// Every finding, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Strict reading: every rule the spec breaks (a [`Diagnostic::lenient`] warning) is an
    /// error, at the same place. True when there was one.
    pub fn make_strict(&mut self) -> bool {
        let mut any = false;
        for d in self.diagnostics.iter_mut().filter(|d| d.lenient) {
            d.severity = Severity::Error;
            any = true;
        }
        any
    }
}

/// Fills in `line_col` of every diagnostic that has a pointer but no position, from the
/// source text. Runs only when there is something to report, so clean specs never pay for
/// the source map.
pub fn locate(diagnostics: &mut [Diagnostic], text: &str) {
    locate_in(diagnostics, None, text);
}

/// [`locate`] for the diagnostics of one file: the spec's own (`None`), or a referenced one.
pub fn locate_in(diagnostics: &mut [Diagnostic], file: Option<&Path>, text: &str) {
    let wanted =
        |d: &Diagnostic| d.line_col.is_none() && d.pointer.is_some() && d.file.as_deref() == file;
    if !diagnostics.iter().any(wanted) {
        return;
    }
    let map = SourceMap::build(text);
    for d in diagnostics.iter_mut() {
        if wanted(d) {
            if let Some(p) = &d.pointer {
                d.line_col = map.position(p);
            }
        }
    }
}

/// Renders one diagnostic the way compilers do: `file:line:col: error: message`, then the
/// pointer and the help on their own lines.
pub fn render(path: &Path, d: &Diagnostic) -> String {
    let mut out = place(path, d);
    out.push_str(&format!(": {}: {}", d.severity, d.message));
    if let Some(p) = &d.pointer {
        out.push_str(&format!("\n  at {p}"));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("\n  help: {help}"));
    }
    out
}

/// How many places of a group [`render_grouped`] shows before it counts the rest.
pub const SHOWN_PLACES: usize = 3;

/// Renders a report for people: each distinct diagnostic (same severity, message and help)
/// once, at its first place, with how many places it applies to and the next few of them;
/// `verbose` renders every diagnostic at every place instead. Groups come in the order of
/// their first diagnostic.
pub fn render_grouped(report: &Report, verbose: bool) -> Vec<String> {
    if verbose {
        return report
            .diagnostics
            .iter()
            .map(|d| render(&report.path, d))
            .collect();
    }
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    let mut index: std::collections::HashMap<(Severity, &str, Option<&str>), usize> =
        std::collections::HashMap::new();
    for d in &report.diagnostics {
        let key = (d.severity, d.message.as_str(), d.help.as_deref());
        match index.get(&key) {
            Some(&i) => groups[i].push(d),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![d]);
            }
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let first = group[0];
            if group.len() == 1 {
                return render(&report.path, first);
            }
            let mut out = place(&report.path, first);
            out.push_str(&format!(
                ": {}: {} ({} places)",
                first.severity,
                first.message,
                group.len()
            ));
            if let Some(p) = &first.pointer {
                out.push_str(&format!("\n  at {p}"));
            }
            for d in group.iter().skip(1).take(SHOWN_PLACES - 1) {
                out.push_str(&format!("\n  also at {}", place(&report.path, d)));
                if let Some(p) = &d.pointer {
                    out.push_str(&format!(" {p}"));
                }
            }
            if group.len() > SHOWN_PLACES {
                out.push_str(&format!(
                    "\n  and {} more (--verbose lists every place)",
                    group.len() - SHOWN_PLACES
                ));
            }
            if let Some(help) = &first.help {
                out.push_str(&format!("\n  help: {help}"));
            }
            out
        })
        .collect()
}

/// `file:line:column` (or less, as known) of a diagnostic.
fn place(path: &Path, d: &Diagnostic) -> String {
    let mut out = d.file.as_deref().unwrap_or(path).display().to_string();
    if let Some((line, col)) = d.line_col {
        out.push_str(&format!(":{line}:{col}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(pointer: &str, line: usize, message: &str) -> Diagnostic {
        let mut d = Diagnostic::lenient(pointer, message);
        d.line_col = Some((line, 1));
        d
    }

    #[test]
    fn groups_the_same_sentence_and_counts_its_places() {
        let mut diagnostics: Vec<Diagnostic> = (1..=5)
            .map(|i| at(&format!("#/a/{i}"), i, "same"))
            .collect();
        diagnostics.insert(1, at("#/b", 9, "other"));
        let report = Report {
            path: "s.yaml".into(),
            diagnostics,
        };
        assert_eq!(
            render_grouped(&report, false),
            [
                "s.yaml:1:1: warning: same (5 places)\n  at #/a/1\n  also at s.yaml:2:1 #/a/2\n  also at s.yaml:3:1 #/a/3\n  and 2 more (--verbose lists every place)",
                "s.yaml:9:1: warning: other\n  at #/b",
            ]
        );
        assert_eq!(render_grouped(&report, true).len(), 6);
    }

    #[test]
    fn strict_makes_every_lenient_reading_an_error_in_place() {
        let mut report = Report {
            path: "s.yaml".into(),
            diagnostics: vec![
                at("#/a", 1, "assumed"),
                Diagnostic::warning("#/b", "not generated"),
            ],
        };
        assert!(report.make_strict());
        assert_eq!(report.count(Severity::Error), 1);
        assert_eq!(report.diagnostics[0].pointer.as_deref(), Some("#/a"));
        assert_eq!(report.diagnostics[1].severity, Severity::Warning);
    }

    #[test]
    fn renders_like_a_compiler() {
        let mut d = Diagnostic::error("#/paths", "boom").with_help("fix it");
        d.line_col = Some((3, 5));
        assert_eq!(
            render(Path::new("a.yaml"), &d),
            "a.yaml:3:5: error: boom\n  at #/paths\n  help: fix it"
        );
    }
}
