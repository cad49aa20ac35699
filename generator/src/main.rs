//! `openapi-gen`: see `openapi-gen --help`. All logic lives in the library.

fn main() {
    let code = openapi_gen::cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
