fn main() -> Result<(), openapi_gen::BuildError> {
    openapi_gen::configure()
        .client(false)
        .server(true)
        .generate("pets.yaml")?;
    Ok(())
}
