fn main() -> Result<(), openapi_gen::BuildError> {
    openapi_gen::configure()
        .client(true)
        .server(true)
        .generate("pets.yaml")?;
    Ok(())
}
