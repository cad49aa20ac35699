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
    pub severity: Severity,
    /// A JSON pointer into the document, as a URI fragment (`#/paths/~1pets/get`).
    pub pointer: Option<String>,
    /// 1-based line and column, when the error comes from the parser or the pointer could be
    /// located in the source text.
    pub line_col: Option<(usize, usize)>,
    pub message: String,
    /// A hint on how to fix it.
    pub help: Option<String>,
    /// The file the pointer and position are in, when it is not the spec itself but a file
    /// the spec references (`$ref: common.yaml#/...`).
    pub file: Option<PathBuf>,
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

    fn new(severity: Severity, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            pointer: Some(pointer.into()),
            line_col: None,
            message: message.into(),
            help: None,
            file: None,
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

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of one spec file, with what is needed to render them.
#[derive(Debug, Clone)]
pub struct Report {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
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
    let mut out = String::new();
    out.push_str(&d.file.as_deref().unwrap_or(path).display().to_string());
    if let Some((line, col)) = d.line_col {
        out.push_str(&format!(":{line}:{col}"));
    }
    out.push_str(&format!(": {}: {}", d.severity, d.message));
    if let Some(p) = &d.pointer {
        out.push_str(&format!("\n  at {p}"));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("\n  help: {help}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
