//! The command line, as a library function so that tests drive it in-process.
//!
//! Exit codes: 0 clean, 1 a spec has errors (or warnings with `--deny-warnings`), 2 usage or
//! I/O errors.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostics::{render, Report, Severity};
use crate::Error;

#[derive(Debug, Parser)]
#[command(
    name = "openapi-gen",
    version,
    about = "Generate typed Rust clients and validating server stubs from OpenAPI 3.0 specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check specs and print every diagnostic with its location.
    ///
    /// Prints, per spec, each diagnostic (file:line:column, JSON pointer, message) and a
    /// one-line summary. Exits 0 when every spec is clean, 1 when any has errors, 2 when a
    /// file cannot be read.
    Validate {
        /// OpenAPI 3.0 specs, YAML or JSON.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the resolved API model of a spec: operations, parameters, bodies, responses
    /// and named types, as the emitters see them.
    Inspect {
        /// An OpenAPI 3.0 spec, YAML or JSON.
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
    },
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
    match cli.command {
        Command::Validate {
            specs,
            deny_warnings,
        } => validate(&specs, deny_warnings, out, err),
        Command::Inspect { spec } => match crate::load_file(&spec) {
            Ok(resolved) => {
                print_diagnostics(&resolved.report, err);
                let _ = write!(out, "{}", crate::dump::render(&resolved.api));
                0
            }
            Err(Error::Io { .. }) | Err(Error::Spec(_)) => {
                // Same output as `validate` for a spec that does not resolve.
                validate(&[spec], false, &mut std::io::sink(), err)
            }
        },
    }
}

fn validate(
    specs: &[PathBuf],
    deny_warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut code = 0;
    for path in specs {
        match crate::load_file(path) {
            Ok(resolved) => {
                print_diagnostics(&resolved.report, out);
                let warnings = resolved.report.count(Severity::Warning);
                let _ = writeln!(
                    out,
                    "{}: ok: {} operations, {} types, {}",
                    path.display(),
                    resolved.api.operations.len(),
                    resolved.api.types.len(),
                    plural(warnings, "warning"),
                );
                if deny_warnings && warnings > 0 {
                    code = code.max(1);
                }
            }
            Err(Error::Spec(report)) => {
                print_diagnostics(&report, out);
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

fn print_diagnostics(report: &Report, out: &mut dyn Write) {
    for d in &report.diagnostics {
        let _ = writeln!(out, "{}", render(&report.path, d));
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
