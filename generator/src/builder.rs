//! Generation from a build script, in the style of `tonic-build` and `prost-build`:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), openapi_gen::BuildError> {
//!     openapi_gen::configure().generate("specs/cakemail-partner.yaml")?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/cakemail_partner.rs"));` inside a
//! module. The build script reruns only when the spec changes, files are rewritten only when
//! their content changes, and a bad spec fails the build with the same diagnostics as the CLI.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::{render, Report};
use crate::select::Selection;

/// Starts a build-time generation with the defaults: client code (no server), into
/// `OUT_DIR`, module named after the spec's file, every operation.
pub fn configure() -> Builder {
    Builder {
        client: true,
        server: false,
        out_dir: None,
        module: None,
        type_attributes: Vec::new(),
        driver: false,
        selection: Selection::default(),
        emit_rerun: true,
        ref_root: None,
        strict: false,
        replaced: Vec::new(),
    }
}

/// Options of a build-time generation; see [`configure`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Builder {
    client: bool,
    server: bool,
    out_dir: Option<PathBuf>,
    module: Option<String>,
    type_attributes: Vec<String>,
    driver: bool,
    selection: Selection,
    emit_rerun: bool,
    ref_root: Option<PathBuf>,
    strict: bool,
    /// (schema, Rust type path) pairs: the user's types for these schemas.
    replaced: Vec<(String, String)>,
}

/// Why build-time generation failed. Its `Debug` is the readable report too, so a build
/// script's `main() -> Result<(), BuildError>` prints diagnostics, not a struct dump.
pub enum BuildError {
    /// The spec has errors (every diagnostic, with file, line:column and pointer).
    Spec(Report),
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read or written.
        source: std::io::Error,
    },
    /// An option is wrong (an attribute that does not parse, an unknown operation).
    Config(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Spec(report) => {
                for d in &report.diagnostics {
                    writeln!(f, "{}", render(&report.path, d))?;
                }
                write!(
                    f,
                    "openapi-gen: {} cannot be generated",
                    report.path.display()
                )
            }
            BuildError::Io { path, source } => {
                write!(f, "openapi-gen: {}: {source}", path.display())
            }
            BuildError::Config(message) => write!(f, "openapi-gen: {message}"),
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {}

impl Builder {
    /// Emit the typed client (default: yes).
    pub fn client(mut self, client: bool) -> Self {
        self.client = client;
        self
    }

    /// Emit the server: the `server` module with the `Api` trait and `router()` (default:
    /// no). The crate then needs `openapi-gen-runtime` with its `server` feature.
    pub fn server(mut self, server: bool) -> Self {
        self.server = server;
        self
    }

    /// Write into this folder instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The module (and file) name, instead of the spec's file name.
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// An attribute for every generated type, e.g. `#[derive(Hash)]` or
    /// `#[non_exhaustive]`.
    pub fn type_attribute(mut self, attribute: impl Into<String>) -> Self {
        self.type_attributes.push(attribute.into());
        self
    }

    /// With the client, a `driver` module too: every operation called by its id, with its
    /// arguments given as JSON (`openapi_gen_runtime::driver`), to drive an API from data
    /// (a test harness, a fuzzer, a script).
    pub fn driver(mut self, on: bool) -> Self {
        self.driver = on;
        self
    }

    /// Uses the Rust type at `path` (`my_crate::Money`) for the schema `schema` (its name in
    /// `components/schemas`) everywhere it appears, instead of generating one. The type
    /// must implement `Debug`, `Clone`, `PartialEq`, `serde::Serialize` and
    /// `serde::Deserialize` (through the runtime's re-exported `serde`); servers still
    /// validate values against the schema. `x-rust-type: my_crate::Money` on a schema
    /// does the same from the spec.
    pub fn replace_type(mut self, schema: impl Into<String>, path: impl Into<String>) -> Self {
        self.replaced.push((schema.into(), path.into()));
        self
    }

    /// `#[derive(..)]` of these traits on every generated type (`derive(["Hash", "Eq"])`),
    /// a shorthand for [`type_attribute`](Self::type_attribute).
    pub fn derive<S: AsRef<str>>(self, traits: impl IntoIterator<Item = S>) -> Self {
        let traits: Vec<String> = traits.into_iter().map(|t| t.as_ref().to_string()).collect();
        self.type_attribute(format!("#[derive({})]", traits.join(", ")))
    }

    /// Only these operations (by `operationId`, or Rust method name for operations without
    /// one); types are all kept. With [`tags`](Self::tags), an operation either names is
    /// kept.
    pub fn operations<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.selection.operations = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Only the operations that carry one of these tags (see [`operations`](Self::operations)).
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.selection.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Refuse a spec that breaks a rule of its OpenAPI version (a duplicate `operationId`,
    /// a 3.1 construct in a 3.0 document...) instead of reading it as its author meant with
    /// a warning (default: no). For teams that own their spec.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The folder whose files the spec's references may read (default: the spec's folder).
    pub fn ref_root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.ref_root = Some(dir.into());
        self
    }

    /// Print `cargo:rerun-if-changed` lines (default: yes; off outside build scripts).
    pub fn emit_rerun_if_changed(mut self, emit: bool) -> Self {
        self.emit_rerun = emit;
        self
    }

    /// Generates the code of `spec` and returns the path of the written file.
    pub fn generate(&self, spec: impl AsRef<Path>) -> Result<PathBuf, BuildError> {
        let spec = spec.as_ref();
        if self.emit_rerun {
            println!("cargo:rerun-if-changed={}", spec.display());
        }
        let options = crate::pipeline::LoadOptions {
            ref_root: self.ref_root.clone(),
            strict: self.strict,
        };
        let resolved = match crate::pipeline::load_file_with(spec, &options) {
            Ok(r) => r,
            Err(crate::pipeline::Error::Io { path, source }) => {
                return Err(BuildError::Io { path, source })
            }
            Err(crate::pipeline::Error::Spec(report)) => return Err(BuildError::Spec(report)),
        };
        if self.emit_rerun {
            // A file the spec references is as much the build's input as the spec.
            for file in &resolved.files {
                println!("cargo:rerun-if-changed={}", file.display());
            }
            for d in &resolved.report.diagnostics {
                println!("cargo:warning={}", render(spec, d).replace('\n', " "));
            }
        }
        let mut api = resolved.api;
        if let Some(m) = &self.module {
            api.module = m.clone();
        }
        for (schema, path) in &self.replaced {
            api.replace_type(schema, path)
                .map_err(|e| BuildError::Config(format!("{}: {e}", spec.display())))?;
        }
        self.selection
            .apply(std::slice::from_mut(&mut api))
            .map_err(|e| BuildError::Config(format!("{}: {e}", spec.display())))?;
        let options = crate::emit::Options {
            client: self.client,
            server: self.server,
            feature_gates: false,
            type_attributes: self.type_attributes.clone(),
            driver: self.driver,
        };
        let source = crate::emit::module_source_with(&api, &options).map_err(BuildError::Config)?;
        let dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    BuildError::Config(
                        "OUT_DIR is not set: call generate from a build script, or set out_dir"
                            .into(),
                    )
                })?,
        };
        let file = crate::generate::File {
            path: PathBuf::from(format!("{}.rs", api.module)),
            content: source,
        };
        crate::generate::write(&dir, std::slice::from_ref(&file)).map_err(|source| {
            BuildError::Io {
                path: dir.clone(),
                source,
            }
        })?;
        Ok(dir.join(file.path))
    }
}
