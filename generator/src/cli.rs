//! The command line, as a library function so that tests drive it in-process.
//!
//! Exit codes: 0 clean, 1 a spec has errors (or warnings with `--deny-warnings`), 2 usage or
//! I/O errors.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostics::{render_grouped, Report, Severity};
use crate::pipeline::Error;

#[derive(Debug, Parser)]
#[command(
    name = "openapi-gen",
    version,
    about = "Generate typed Rust clients and validating server stubs from OpenAPI 3.0, 3.1 and 3.2, and Swagger 2.0 specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The folder whose files `$ref`s may read (default: each spec's folder). Nothing
    /// outside it is read, and nothing is fetched.
    #[arg(long, global = true, value_name = "DIR")]
    ref_root: Option<PathBuf>,
    /// Refuse specs that break a rule of their OpenAPI version (a duplicate `operationId`,
    /// a 3.1 construct in a 3.0 document, a path parameter missing from its template...),
    /// which are otherwise read as their authors meant, with a warning. For teams that own
    /// their spec.
    #[arg(long, global = true)]
    strict: bool,
    /// List every place of every diagnostic, instead of each distinct one once with a count
    /// and its first places.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check specs and print every diagnostic with its location.
    ///
    /// Prints, per spec, each diagnostic (file:line:column, JSON pointer, message) and a
    /// one-line summary. Exits 0 when every spec is clean, 1 when any has errors, 2 when a
    /// file cannot be read.
    Validate {
        /// OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0 specs, YAML or JSON.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Generate a crate (Cargo.toml, src/lib.rs, one module per spec, the runtime) into a folder.
    ///
    /// Files are written only when their content changes, each atomically; generated files
    /// that are no longer produced are removed; nothing outside the folder is touched. On a
    /// spec error nothing is written.
    Generate(GenArgs),
    /// Exit 1 when a folder differs from what `generate` would write now, printing a
    /// unified diff of each changed file (for CI and code review). Writes nothing.
    Check {
        #[command(flatten)]
        args: GenArgs,
        /// Print only which files differ, not the diff.
        #[arg(long)]
        stat: bool,
    },
    /// Compare two versions of a spec through the model and list what changed for users of
    /// the generated code, each change classified as breaking or not.
    ///
    /// One line per change, with the JSON pointer in each version. Exits 0 when nothing
    /// breaking changed, 1 when something did (for CI gates), 2 when a spec cannot be read
    /// or has errors.
    Diff {
        /// The old version of the spec.
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The new version of the spec.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        /// `text` (one line a change), `markdown` (a table for a pull-request comment) or
        /// `json`.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Print the resolved API model of a spec: operations, parameters, bodies, responses
    /// and named types, as the emitters see them.
    Inspect {
        /// An OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0 spec, YAML or JSON.
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
    },
    /// Serve specs as a mock API until interrupted: requests validated as a generated server
    /// validates them, answered with the spec's examples or values made from its schemas.
    ///
    /// One spec is served at the root, several each under `/<module>`. A request may ask for
    /// a documented status (`Prefer: code=404`), a named example (`Prefer: example=NAME`) or
    /// random values (`Prefer: dynamic=true`). Prints `listening on http://ADDR` when ready.
    #[cfg(feature = "mock")]
    Mock {
        /// OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0 specs, YAML or JSON.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// The address to listen on (port 0: any free port, printed).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4010")]
        bind: String,
        /// The seed of the values made from schemas: the same seed, the same answers.
        #[arg(long, value_name = "N", default_value_t = 0)]
        seed: u64,
        /// Keep what is created: a resource POSTed to a collection is listed there and
        /// returned by its item path until it is deleted.
        #[arg(long)]
        stateful: bool,
        /// Forward every request to this API (one spec) and pass its answers back unchanged,
        /// reporting on standard error whatever does not conform to the spec, and a summary
        /// at exit.
        #[arg(long, value_name = "URL", conflicts_with = "stateful")]
        proxy: Option<String>,
    },
    /// Call every operation of each spec's mock through a generated client's driver,
    /// asking for every documented status, and count what decodes.
    ///
    /// The driver is a program built from a crate generated with `--driver`, whose `main`
    /// runs `openapi_gen_runtime::driver::answer_lines` with the crate's `drive`: it reads
    /// one call per line of JSON and answers each with one line. Prints a table of
    /// operations, calls, successes, errors and streams decoded, skipped and failed per
    /// spec, and each failure on standard error. Exits 1 when any call failed, 2 when a
    /// spec or the driver cannot be used.
    #[cfg(feature = "mock")]
    Roundtrip {
        /// OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0 specs, YAML or JSON, each the source of
        /// one of the driver's modules (named after its file, as `generate` names them).
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// The driver program.
        #[arg(long, value_name = "PROGRAM")]
        driver: PathBuf,
        /// The seed of the arguments and of the mock's answers.
        #[arg(long, value_name = "N", default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
struct GenArgs {
    /// OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0 specs, YAML or JSON; each becomes a module named
    /// after its file.
    #[arg(required = true, value_name = "SPEC")]
    specs: Vec<PathBuf>,
    /// The crate's folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The crate's package name (default: the folder's name).
    #[arg(long)]
    name: Option<String>,
    /// Depend on an openapi-gen-runtime at this path, relative to the crate, instead of
    /// the copy written into the crate's folder (default: vendored in
    /// `openapi-gen-runtime/`, so the crate builds anywhere).
    #[arg(long, value_name = "PATH", conflicts_with = "runtime_version")]
    runtime_path: Option<String>,
    /// Depend on this version of openapi-gen-runtime from a registry, instead of the
    /// vendored copy.
    #[arg(long, value_name = "VERSION")]
    runtime_version: Option<String>,
    /// Use your own Rust type for a schema everywhere it appears instead of generating one:
    /// `--replace-type Money=my_crate::Money` (the schema's name in `components/schemas`).
    /// Repeatable.
    #[arg(long, value_name = "SCHEMA=PATH")]
    replace_type: Vec<String>,
    /// Generate only these operations (`operationId`, or Rust method name), comma-separated
    /// or repeated; types are all kept. With `--tags`, an operation either names is kept.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    operations: Vec<String>,
    /// Generate only the operations that carry one of these tags, comma-separated or
    /// repeated.
    #[arg(long, value_name = "TAG,...", value_delimiter = ',')]
    tags: Vec<String>,
    /// A crate with the client only (no `server` feature).
    #[arg(long, conflicts_with = "server_only")]
    client_only: bool,
    /// A crate with the server only (feature `server`, on by default; no client).
    #[arg(long)]
    server_only: bool,
    /// An attribute for every generated type, such as `#[non_exhaustive]` or
    /// `#[derive(Hash)]`. Repeatable.
    #[arg(long, value_name = "ATTRIBUTE")]
    type_attribute: Vec<String>,
    /// Derive these traits on every generated type as well (`--derive Hash,Eq`),
    /// comma-separated or repeated.
    #[arg(long, value_name = "TRAIT,...", value_delimiter = ',')]
    derive: Vec<String>,
    /// A spec's module name instead of its file's stem: `--module-name NAME` with one spec,
    /// `--module-name STEM=NAME` (the spec file's stem) with several. Repeatable.
    #[arg(long, value_name = "[STEM=]NAME")]
    module_name: Vec<String>,
    /// Each client gets a `driver` module: every operation called by its id, with its
    /// arguments given as JSON (what the corpus round trip drives against `openapi-gen
    /// mock`), and the crate a `drive` function choosing the API by its module name.
    #[arg(long, conflicts_with = "server_only")]
    driver: bool,
}

/// Runs the command line with `args` (the first being the program name), writing to `out`
/// and `err`. Returns the process exit code.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            let text = e.render().to_string();
            let _ = if code == 0 {
                write!(out, "{text}")
            } else {
                write!(err, "{text}")
            };
            return code;
        }
    };
    let options = crate::pipeline::LoadOptions {
        ref_root: cli.ref_root.clone(),
        strict: cli.strict,
    };
    let load = |path: &std::path::Path| crate::pipeline::load_file_with(path, &options);
    let load = Loader {
        load: &load,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Validate {
            specs,
            deny_warnings,
        } => validate(&specs, deny_warnings, &load, out, err),
        Command::Generate(args) => generate(&args, None, &load, out, err),
        Command::Check { args, stat } => generate(&args, Some(stat), &load, out, err),
        Command::Diff { old, new, format } => diff(&old, &new, format, &load, out, err),
        #[cfg(feature = "mock")]
        Command::Mock {
            specs,
            bind,
            seed,
            stateful,
            proxy,
        } => match load_all(&specs, &load, err) {
            Ok(apis) if proxy.is_some() && apis.len() != 1 => {
                let _ = writeln!(err, "error: --proxy forwards to one API: give one spec");
                2
            }
            Ok(apis) => {
                let options = crate::mock::MockOptions { seed, stateful };
                match crate::mock::serve(&apis, &bind, options, proxy.as_deref(), out, err) {
                    Ok(()) => 0,
                    Err(e) => {
                        let _ = writeln!(err, "error: {e}");
                        2
                    }
                }
            }
            Err(code) => code,
        },
        #[cfg(feature = "mock")]
        Command::Roundtrip {
            specs,
            driver,
            seed,
        } => match load_all(&specs, &load, err) {
            Ok(apis) => crate::mock::roundtrip::through_program(&apis, &driver, seed, out, err),
            Err(code) => code,
        },
        Command::Inspect { spec } => match (load.load)(&spec) {
            Ok(resolved) => {
                load.print(&resolved.report, err);
                let _ = write!(out, "{}", crate::dump::render(&resolved.api));
                0
            }
            Err(Error::Io { .. }) | Err(Error::Spec(_)) => {
                // Same output as `validate` for a spec that does not resolve.
                validate(&[spec], false, &load, &mut std::io::sink(), err)
            }
        },
    }
}

/// Reads and resolves specs with the command line's options, and prints their diagnostics
/// as it asks.
struct Loader<'a> {
    load: &'a dyn Fn(&std::path::Path) -> Result<crate::pipeline::Resolved, Error>,
    verbose: bool,
}

impl Loader<'_> {
    fn print(&self, report: &Report, out: &mut dyn Write) {
        for text in render_grouped(report, self.verbose) {
            let _ = writeln!(out, "{text}");
        }
    }
}

type Load<'a> = Loader<'a>;

fn validate(
    specs: &[PathBuf],
    deny_warnings: bool,
    load: &Load,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut code = 0;
    for path in specs {
        match (load.load)(path) {
            Ok(resolved) => {
                load.print(&resolved.report, out);
                let warnings = resolved.report.count(Severity::Warning);
                let _ = writeln!(
                    out,
                    "{}: ok: {}, {} operations, {} types, {}",
                    path.display(),
                    resolved.source,
                    resolved.api.operations.len(),
                    resolved.api.types.len(),
                    plural(warnings, "warning"),
                );
                if deny_warnings && warnings > 0 {
                    code = code.max(1);
                }
            }
            Err(Error::Spec(report)) => {
                load.print(&report, out);
                let _ = writeln!(
                    out,
                    "{}: failed: {}, {}",
                    path.display(),
                    plural(report.count(Severity::Error), "error"),
                    plural(report.count(Severity::Warning), "warning"),
                );
                code = code.max(1);
            }
            Err(e @ Error::Io { .. }) => {
                let _ = writeln!(err, "error: {e}");
                code = 2;
            }
        }
    }
    code
}

/// `generate`, or with `check: Some(stat)` the `check` command (`stat`: names only).
/// Every spec's model, their diagnostics printed; else the exit code (1 for spec errors,
/// 2 for a file that cannot be read).
fn load_all(
    specs: &[PathBuf],
    load: &Load,
    err: &mut dyn Write,
) -> Result<Vec<crate::ir::Api>, i32> {
    let mut apis = Vec::new();
    let mut code = 0;
    for path in specs {
        match (load.load)(path) {
            Ok(resolved) => {
                load.print(&resolved.report, err);
                apis.push(resolved.api);
            }
            Err(Error::Spec(report)) => {
                load.print(&report, err);
                code = code.max(1);
            }
            Err(e @ Error::Io { .. }) => {
                let _ = writeln!(err, "error: {e}");
                code = 2;
            }
        }
    }
    if code == 0 {
        Ok(apis)
    } else {
        Err(code)
    }
}

fn generate(
    args: &GenArgs,
    check: Option<bool>,
    load: &Load,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut apis = match load_all(&args.specs, load, err) {
        Ok(apis) => apis,
        Err(code) => {
            let _ = writeln!(err, "error: nothing was written: fix the specs first");
            return code;
        }
    };
    if let Err(e) = customize(args, &mut apis) {
        let _ = writeln!(err, "error: {e}");
        return 2;
    }
    for pair in &args.replace_type {
        let Some((schema, path)) = pair.split_once('=') else {
            let _ = writeln!(
                err,
                "error: --replace-type takes SCHEMA=PATH (e.g. Money=my_crate::Money), found {pair:?}"
            );
            return 2;
        };
        let outcomes: Vec<Result<(), String>> = apis
            .iter_mut()
            .map(|api| api.replace_type(schema.trim(), path.trim()))
            .collect();
        if !outcomes.iter().any(Result::is_ok) {
            for e in outcomes.into_iter().filter_map(Result::err) {
                let _ = writeln!(err, "error: --replace-type {pair}: {e}");
            }
            return 1;
        }
    }
    let name = args.name.clone().unwrap_or_else(|| {
        args.out
            .canonicalize()
            .unwrap_or_else(|_| args.out.clone())
            .file_name()
            .map_or_else(
                || "generated".to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
    });
    let runtime = match (&args.runtime_path, &args.runtime_version) {
        (Some(p), _) => crate::generate::RuntimeDep::Path(p.clone()),
        (None, Some(v)) => crate::generate::RuntimeDep::Version(v.clone()),
        (None, None) => crate::generate::RuntimeDep::Vendored,
    };
    let parts = match (args.client_only, args.server_only) {
        (true, _) => crate::generate::Parts::Client,
        (_, true) => crate::generate::Parts::Server,
        _ => crate::generate::Parts::Both,
    };
    let mut type_attributes = args.type_attribute.clone();
    if !args.derive.is_empty() {
        type_attributes.push(format!("#[derive({})]", args.derive.join(", ")));
    }
    let options = crate::generate::CrateOptions {
        name,
        runtime,
        parts,
        type_attributes,
        driver: args.driver,
    };
    let files = match crate::generate::crate_files(&apis, &options) {
        Ok(files) => files,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 1;
        }
    };
    if let Some(stat) = check {
        let diffs = crate::generate::check(&args.out, &files);
        if diffs.is_empty() {
            let _ = writeln!(
                out,
                "{}: up to date ({} files)",
                args.out.display(),
                files.len()
            );
            return 0;
        }
        for d in &diffs {
            match d {
                crate::generate::Difference::Changed { path, .. } if stat => {
                    let _ = writeln!(out, "changed: {}", path.display());
                }
                _ => {
                    let _ = writeln!(out, "{d}");
                }
            }
        }
        let _ = writeln!(
            out,
            "{}: {} differs from what openapi-gen generates now; run `openapi-gen generate` with the same arguments",
            args.out.display(),
            plural(diffs.len(), "file")
        );
        return 1;
    }
    match crate::generate::write(&args.out, &files) {
        Ok(s) => {
            let _ = writeln!(
                out,
                "{}: {} written, {} unchanged, {} removed",
                args.out.display(),
                s.written.len(),
                s.unchanged.len(),
                s.removed.len()
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: cannot write {}: {e}", args.out.display());
            2
        }
    }
}

/// `--module-name`, `--operations` and `--tags`, applied to the resolved APIs (in the order
/// of `args.specs`).
fn customize(args: &GenArgs, apis: &mut [crate::ir::Api]) -> Result<(), String> {
    for entry in &args.module_name {
        let (stem, name) = match entry.split_once('=') {
            Some((stem, name)) => (Some(stem), name),
            None if args.specs.len() == 1 => (None, entry.as_str()),
            None => {
                return Err(format!(
                "--module-name {entry}: with several specs, say which: --module-name STEM={entry}"
            ))
            }
        };
        if !crate::names::is_valid_ident(name) || name != crate::names::snake_name(name) {
            return Err(format!(
                "--module-name {entry}: {name:?} is not a snake_case Rust identifier"
            ));
        }
        let index = match stem {
            None => 0,
            Some(stem) => args
                .specs
                .iter()
                .position(|p| p.file_stem().is_some_and(|s| s == stem) || p.as_os_str() == stem)
                .ok_or_else(|| {
                    format!("--module-name {entry}: no spec {stem:?} among the specs given")
                })?,
        };
        if let Some(api) = apis.get_mut(index) {
            api.module = name.to_string();
        }
    }
    crate::select::Selection {
        operations: args.operations.clone(),
        tags: args.tags.clone(),
    }
    .apply(apis)
}

fn diff(
    old: &std::path::Path,
    new: &std::path::Path,
    format: DiffFormat,
    load: &Load,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut load_one = |path: &std::path::Path| match (load.load)(path) {
        Ok(resolved) => {
            load.print(&resolved.report, err);
            Some(resolved.api)
        }
        Err(Error::Spec(report)) => {
            load.print(&report, err);
            let _ = writeln!(
                err,
                "error: {} has errors: fix them to compare it",
                path.display()
            );
            None
        }
        Err(e @ Error::Io { .. }) => {
            let _ = writeln!(err, "error: {e}");
            None
        }
    };
    let (Some(old_api), Some(new_api)) = (load_one(old), load_one(new)) else {
        return 2;
    };
    let changes = crate::diff::diff(&old_api, &new_api);
    let text = match format {
        DiffFormat::Text => crate::diff::render_text(&changes),
        DiffFormat::Markdown => crate::diff::render_markdown(&changes),
        DiffFormat::Json => crate::diff::render_json(&changes),
    };
    let _ = write!(out, "{text}");
    i32::from(changes.iter().any(|c| c.breaking))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
