// Generates the Cakemail client into OUT_DIR; reruns only when the spec changes.
fn main() -> Result<(), openapi_gen::BuildError> {
    openapi_gen::configure().generate("../../specs/cakemail-partner.yaml")?;
    Ok(())
}
