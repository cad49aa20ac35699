//! A crate from specs: `Cargo.toml`, `src/lib.rs` and a module per spec; written file by
//! file, only when changed (so downstream builds stay fresh), each atomically (a temporary
//! file in the same folder, renamed), and nothing outside the output folder is touched.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::emit::{self, HEADER};
use crate::ir::Api;
use crate::vendor;

/// Where the generated crate gets `openapi-gen-runtime`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RuntimeDep {
    /// The runtime's source, written into the crate's folder (`openapi-gen-runtime/`) as a
    /// package of its own: the crate builds anywhere, with nothing else. The default.
    #[default]
    Vendored,
    /// A path, relative to the generated crate.
    Path(String),
    /// A registry version requirement.
    Version(String),
}

/// What the generated crate is called, what it holds and what it depends on.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// The package name.
    pub name: String,
    /// Where the runtime comes from.
    pub runtime: RuntimeDep,
    /// The client, the server, or both (each behind its feature).
    pub parts: Parts,
    /// Attributes added to every generated type (`#[derive(Hash)]`).
    pub type_attributes: Vec<String>,
    /// Each client's `driver` module (every operation called by its id with JSON arguments),
    /// and the crate's `drive` (an API's driver by its module name).
    pub driver: bool,
}

impl CrateOptions {
    /// A crate named `name` with both halves, the runtime vendored, no extra attributes.
    pub fn new(name: impl Into<String>) -> Self {
        CrateOptions {
            name: name.into(),
            runtime: RuntimeDep::Vendored,
            parts: Parts::Both,
            type_attributes: Vec::new(),
            driver: false,
        }
    }
}

/// Which halves of each API a generated crate has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parts {
    /// The client behind feature `client` (on by default) and the server behind `server`.
    #[default]
    Both,
    /// Only the client (feature `client`, on by default).
    Client,
    /// Only the server (feature `server`, on by default).
    Server,
}

impl Parts {
    fn client(self) -> bool {
        self != Parts::Server
    }

    fn server(self) -> bool {
        self != Parts::Client
    }
}

/// A generated file: its path relative to the crate root, and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The path, relative to the crate root.
    pub path: PathBuf,
    /// The file's content.
    pub content: String,
}

/// The crate's `drive`: each module's `driver::call`, by the module's name.
fn drive(apis: &[Api]) -> String {
    let arms: String = apis
        .iter()
        .map(|api| {
            let call = format!(
                "{}::driver::call(session, operation, args, stream)",
                api.module
            );
            let arm = format!("        {:?} => {call},", api.module);
            // As rustfmt writes an arm longer than its 100 columns.
            if arm.len() <= 100 {
                format!("{arm}\n")
            } else {
                format!(
                    "        {:?} => {{\n            {call}\n        }}\n",
                    api.module
                )
            }
        })
        .collect();
    format!(
        "\n/// Calls `operation` of the API in module `module` with `args` (see the module's `driver`).\n\
         #[cfg(feature = \"client\")]\n\
         pub fn drive(\n    \
             module: &str,\n    \
             session: &{RUNTIME_REEXPORT}::driver::Session,\n    \
             operation: &str,\n    \
             args: &{RUNTIME_REEXPORT}::driver::Args,\n    \
             stream: bool,\n\
         ) -> {RUNTIME_REEXPORT}::BoxFuture<{RUNTIME_REEXPORT}::driver::Called> {{\n    \
             match module {{\n\
         {arms}        \
                 other => Box::pin(std::future::ready({RUNTIME_REEXPORT}::driver::Called::Unknown(\n            \
                     format!(\"no API `{{other}}`\"),\n        \
                 ))),\n    \
             }}\n\
         }}\n"
    )
}

/// The files of a crate with one module per API.
pub fn crate_files(apis: &[Api], options: &CrateOptions) -> Result<Vec<File>, String> {
    let mut modules = BTreeSet::new();
    for api in apis {
        if !modules.insert(api.module.as_str()) {
            return Err(format!(
                "two specs would both be module `{}`: rename one of the files",
                api.module
            ));
        }
    }
    if modules.contains(RUNTIME_REEXPORT) {
        return Err(format!(
            "a spec would be module `{RUNTIME_REEXPORT}`, the name under which the crate \
             re-exports its runtime: rename the file"
        ));
    }
    let runtime = match &options.runtime {
        RuntimeDep::Vendored => format!(
            "{{ package = {:?}, path = {:?}, default-features = false }}",
            vendor::package_name(&options.name),
            vendor::DIR
        ),
        RuntimeDep::Path(p) => format!("{{ path = {p:?}, default-features = false }}"),
        RuntimeDep::Version(v) => format!("{{ version = {v:?}, default-features = false }}"),
    };
    let runtime_note = match &options.runtime {
        RuntimeDep::Vendored => format!(
            "# The runtime (openapi-gen-runtime {}) is vendored in {}/: nothing else is needed.\n",
            vendor::version(),
            vendor::DIR
        ),
        _ => String::new(),
    };
    let titles: Vec<&str> = apis.iter().map(|a| a.title.as_str()).collect();
    let parts = options.parts;
    let mut features = format!(
        "default = [\"{}\"]\n",
        if parts.client() { "client" } else { "server" }
    );
    if parts.client() {
        features.push_str(
            "# The typed async client of each API.\nclient = [\"openapi-gen-runtime/client\"]\n",
        );
    }
    if parts.server() {
        features.push_str(
            "# The server of each API: its `server::Api` trait and a validating axum router.\n\
             server = [\"openapi-gen-runtime/server\"]\n",
        );
    }
    let cargo = format!(
        "# @generated by openapi-gen. Do not edit: change the spec and regenerate.\n\
         [package]\n\
         name = {name:?}\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         description = {description:?}\n\
         \n\
         [features]\n\
         {features}\
         \n\
         [dependencies]\n\
         {runtime_note}\
         openapi-gen-runtime = {runtime}\n",
        name = options.name,
        description = format!(
            "{} for {} (generated by openapi-gen)",
            match parts {
                Parts::Both => "Typed clients and servers",
                Parts::Client => "Typed clients",
                Parts::Server => "Validating servers",
            },
            titles.join(", ")
        ),
    );
    let mut lib = format!(
        "{HEADER}//! {} generated by openapi-gen.\n//!\n",
        match parts {
            Parts::Both =>
                "Typed async clients (feature `client`, on by default) and validating server\n\
                            //! stubs (feature `server`)",
            Parts::Client => "Typed async clients (feature `client`, on by default)",
            Parts::Server => "Validating server stubs (feature `server`, on by default)",
        }
    );
    for api in apis {
        lib.push_str(&format!(
            "//! - [`{}`]: {} {}\n",
            api.module, api.title, api.version
        ));
    }
    lib.push_str(&format!(
        "\n/// The support crate the generated code is built on: `{RUNTIME_REEXPORT}::Error`, the\n\
         /// server's `Config` and `Request`, and the crates it re-exports (`serde_json`,\n\
         /// `chrono`, ...).\npub use openapi_gen_runtime as {RUNTIME_REEXPORT};\n"
    ));
    // prettyplease formats generated code; rustfmt must not reformat it, or `check` would
    // report a difference after every `cargo fmt`.
    for api in apis {
        lib.push_str(&format!(
            "\n/// {} (version {}).\n#[rustfmt::skip]\npub mod {};\n",
            api.title, api.version, api.module
        ));
    }
    if options.driver && parts.client() {
        lib.push_str(&drive(apis));
    }
    let mut files = vec![
        File {
            path: "Cargo.toml".into(),
            content: cargo,
        },
        File {
            path: "src/lib.rs".into(),
            content: lib,
        },
    ];
    for api in apis {
        files.push(File {
            path: PathBuf::from("src").join(format!("{}.rs", api.module)),
            content: emit::module_source_with(
                api,
                &emit::Options {
                    client: parts.client(),
                    server: parts.server(),
                    feature_gates: true,
                    type_attributes: options.type_attributes.clone(),
                    driver: options.driver,
                },
            )?,
        });
    }
    if options.runtime == RuntimeDep::Vendored {
        files.push(File {
            path: PathBuf::from(vendor::DIR).join("Cargo.toml"),
            content: vendor::manifest(&options.name),
        });
        files.push(File {
            path: PathBuf::from(vendor::DIR)
                .join(vendor::DERIVE_DIR)
                .join("Cargo.toml"),
            content: vendor::derive_manifest(&options.name),
        });
        for (path, content) in vendor::FILES {
            files.push(File {
                path: PathBuf::from(vendor::DIR).join(path),
                content: content.to_string(),
            });
        }
    }
    Ok(files)
}

/// The name under which a generated crate re-exports its runtime.
pub const RUNTIME_REEXPORT: &str = "runtime";

/// What writing did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files written, because they were new or changed.
    pub written: Vec<PathBuf>,
    /// Files that already held what would be written.
    pub unchanged: Vec<PathBuf>,
    /// Generated files that are no longer produced, removed.
    pub removed: Vec<PathBuf>,
}

/// Writes `files` under `out`: only files whose content changed, each atomically; removes
/// generated `.rs` files in `out/src` that are no longer generated (never other files).
pub fn write(out: &Path, files: &[File]) -> std::io::Result<WriteSummary> {
    let mut summary = WriteSummary::default();
    for f in files {
        let target = out.join(&f.path);
        if std::fs::read_to_string(&target).is_ok_and(|old| old == f.content) {
            summary.unchanged.push(f.path.clone());
            continue;
        }
        let dir = target.parent().unwrap_or(out);
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(f.content.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(&target).map_err(|e| e.error)?;
        summary.written.push(f.path.clone());
    }
    for stale in stale_files(out, files) {
        std::fs::remove_file(out.join(&stale))?;
        summary.removed.push(stale);
    }
    Ok(summary)
}

/// Files in `out` that an earlier `generate` wrote and `files` no longer has: generated
/// modules in `src/` (recognized by their header) and, in a vendored runtime folder whose
/// manifest `generate` wrote, its source files. Nothing else is ever listed.
fn stale_files(out: &Path, files: &[File]) -> Vec<PathBuf> {
    let wanted: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let mut owned = Vec::new();
    if let Ok(entries) = std::fs::read_dir(out.join("src")) {
        owned.extend(
            entries
                .filter_map(|e| e.ok())
                .map(|e| PathBuf::from("src").join(e.file_name()))
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .filter(|p| {
                    std::fs::read_to_string(out.join(p)).is_ok_and(|c| c.starts_with(HEADER))
                }),
        );
    }
    let vendored = Path::new(vendor::DIR);
    let manifest = vendored.join("Cargo.toml");
    if std::fs::read_to_string(out.join(&manifest))
        .is_ok_and(|c| c.starts_with(vendor::MANIFEST_HEADER))
    {
        owned.push(manifest);
        rust_files(out, &vendored.join("src"), &mut owned);
        let derive = vendored.join(vendor::DERIVE_DIR);
        if std::fs::read_to_string(out.join(derive.join("Cargo.toml")))
            .is_ok_and(|c| c.starts_with(vendor::MANIFEST_HEADER))
        {
            owned.push(derive.join("Cargo.toml"));
            rust_files(out, &derive.join("src"), &mut owned);
        }
    }
    let mut stale: Vec<PathBuf> = owned
        .into_iter()
        .filter(|p| !wanted.contains(p.as_path()))
        .collect();
    stale.sort();
    stale
}

/// The `.rs` files under `out/dir`, as paths relative to `out`.
fn rust_files(out: &Path, dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(out.join(dir)) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let rel = dir.join(entry.file_name());
        match entry.file_type() {
            Ok(t) if t.is_dir() => rust_files(out, &rel, found),
            Ok(t) if t.is_file() && rel.extension().is_some_and(|e| e == "rs") => found.push(rel),
            _ => {}
        }
    }
}

/// How a folder differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The file would be written; it has this many lines.
    Missing {
        /// The file.
        path: PathBuf,
        /// Its number of lines.
        lines: usize,
    },
    /// The file differs: a unified diff from what is on disk to what would be written.
    Changed {
        /// The file.
        path: PathBuf,
        /// The unified diff.
        diff: String,
    },
    /// The file is generated by an earlier run but would no longer be: it would be removed.
    Stale(PathBuf),
}

impl Difference {
    /// The file the difference is about.
    pub fn path(&self) -> &Path {
        match self {
            Difference::Missing { path, .. } | Difference::Changed { path, .. } => path,
            Difference::Stale(path) => path,
        }
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Missing { path, lines } => {
                write!(f, "missing: {} ({lines} lines)", path.display())
            }
            Difference::Changed { path, diff } => {
                writeln!(f, "changed: {}", path.display())?;
                f.write_str(diff.trim_end_matches('\n'))
            }
            Difference::Stale(p) => write!(f, "stale: {} is no longer generated", p.display()),
        }
    }
}

/// Compares `out` with `files` without writing anything.
pub fn check(out: &Path, files: &[File]) -> Vec<Difference> {
    let mut diffs = Vec::new();
    for f in files {
        match std::fs::read_to_string(out.join(&f.path)) {
            Err(_) => diffs.push(Difference::Missing {
                path: f.path.clone(),
                lines: f.content.lines().count(),
            }),
            Ok(old) if old == f.content => {}
            Ok(old) => diffs.push(Difference::Changed {
                path: f.path.clone(),
                diff: unified_diff(&f.path, &old, &f.content),
            }),
        }
    }
    diffs.extend(stale_files(out, files).into_iter().map(Difference::Stale));
    diffs
}

/// A unified diff (3 lines of context) from `old` (on disk) to `new` (generated now), with
/// `a/` and `b/` headers as `git diff` writes them, so reviewers and tools read it alike.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.to_string_lossy().replace('\\', "/");
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .missing_newline_hint(true)
        .to_string()
}
