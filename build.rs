//! Generates the clients and servers of both bundled specs at build time with the library's
//! builder, the way a downstream crate's build script would (`tests/build_time.rs` includes
//! them). A
//! broken spec fails the build with the same diagnostics `openapi-gen validate` prints;
//! editing a spec reruns this script, nothing else does.

fn main() -> Result<(), openapi_gen::BuildError> {
    for spec in [
        "specs/sparkpost-subaccounts.yaml",
        "specs/cakemail-partner.yaml",
    ] {
        openapi_gen::configure()
            .client(true)
            .server(true)
            .generate(spec)?;
    }
    Ok(())
}
