//! Checks every spec in `specs/` at build time with the generator's library, the way a
//! downstream crate's build script would: a broken spec fails the build with the same
//! diagnostics `openapi-gen validate` prints, and editing a spec reruns the check.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=specs");
    let mut specs: Vec<_> = std::fs::read_dir("specs")
        .expect("the workspace has a specs/ folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    let mut failed = false;
    for spec in &specs {
        println!("cargo:rerun-if-changed={}", spec.display());
        match openapi_gen::load_file(Path::new(spec)) {
            Ok(resolved) => {
                for d in &resolved.report.diagnostics {
                    println!(
                        "cargo:warning={}",
                        openapi_gen::diagnostics::render(spec, d).replace('\n', " ")
                    );
                }
            }
            Err(openapi_gen::Error::Spec(report)) => {
                for d in &report.diagnostics {
                    eprintln!("{}", openapi_gen::diagnostics::render(spec, d));
                }
                failed = true;
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
