//! The command line does what the build-script builder does: each `configure()` option has
//! its flag on `generate` (and `check`), tested through the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn spec(name: &str) -> String {
    root().join("specs").join(name).display().to_string()
}

/// A fresh folder for one test's crate.
fn out_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs `openapi-gen generate ARGS --out DIR`; (exit code, stderr).
fn generate(args: &[&str], out: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The client methods a module defines (`pub fn name(` inside `impl Client`).
fn client_methods(module: &str) -> Vec<String> {
    let start = module.find("impl Client {").expect("a client");
    // The impl's closing brace, at the impl's own indentation.
    let line_start = module[..start].rfind('\n').map_or(0, |i| i + 1);
    let close = format!("\n{}}}\n", &module[line_start..start]);
    let end = start + module[start..].find(&close).unwrap();
    module[start..end]
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub fn ")?.split('(').next())
        .filter(|n| !n.starts_with("with_") && !["new", "base_url"].contains(n))
        .map(str::to_string)
        .collect()
}

#[test]
fn operations_and_tags_keep_a_subset() {
    let out = out_dir("subset");
    let sparkpost = spec("sparkpost-subaccounts.yaml");
    let (code, err) = generate(
        &[&sparkpost, "--operations", "getSubaccount,listSubaccounts"],
        &out,
    );
    assert_eq!(code, 0, "{err}");
    let module = read(out.join("src/sparkpost_subaccounts.rs"));
    assert_eq!(
        client_methods(&module),
        ["list_subaccounts", "get_subaccount"]
    );
    assert!(
        module.contains("pub struct SubaccountResponse"),
        "types are all kept"
    );

    let cakemail = spec("cakemail-partner.yaml");
    let (code, err) = generate(
        &[
            &cakemail,
            "--tags",
            "Templates",
            "--operations",
            "getSubAccount",
        ],
        &out,
    );
    assert_eq!(code, 0, "{err}");
    let methods = client_methods(&read(out.join("src/cakemail_partner.rs")));
    assert!(
        methods.contains(&"get_sub_account".to_string()),
        "{methods:?}"
    );
    assert!(
        methods.iter().any(|m| m.contains("template")),
        "{methods:?}"
    );
    assert!(
        !methods.iter().any(|m| m.contains("campaign")),
        "{methods:?}"
    );

    // A name or tag that matches nothing is a usage error that names it; nothing is written.
    let elsewhere = out_dir("subset-unknown");
    let (code, err) = generate(
        &[&sparkpost, "--operations", "nope", "--tags", "Gone"],
        &elsewhere,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no operation \"nope\"; no operation is tagged \"Gone\""),
        "{err}"
    );
    assert!(!elsewhere.exists());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn client_only_and_server_only_crates() {
    let sparkpost = spec("sparkpost-subaccounts.yaml");
    let client = out_dir("client-only");
    assert_eq!(generate(&[&sparkpost, "--client-only"], &client).0, 0);
    let manifest = read(client.join("Cargo.toml"));
    let module = read(client.join("src/sparkpost_subaccounts.rs"));
    assert!(
        manifest.contains("default = [\"client\"]") && !manifest.contains("server ="),
        "{manifest}"
    );
    assert!(module.contains("pub struct Client") && !module.contains("pub mod server"));

    let server = out_dir("server-only");
    assert_eq!(generate(&[&sparkpost, "--server-only"], &server).0, 0);
    let manifest = read(server.join("Cargo.toml"));
    let module = read(server.join("src/sparkpost_subaccounts.rs"));
    assert!(
        manifest.contains("default = [\"server\"]") && !manifest.contains("client ="),
        "{manifest}"
    );
    assert!(!module.contains("pub struct Client") && module.contains("pub mod server"));

    let both = out_dir("both-only");
    let (code, err) = generate(&[&sparkpost, "--client-only", "--server-only"], &both);
    assert_eq!(code, 2, "{err}");
    for dir in [client, server] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn type_attributes_and_derives_reach_every_type() {
    let out = out_dir("attributes");
    let (code, err) = generate(
        &[
            &spec("sparkpost-subaccounts.yaml"),
            "--type-attribute",
            "#[non_exhaustive]",
            "--derive",
            "Default,Eq",
        ],
        &out,
    );
    assert_eq!(code, 0, "{err}");
    let module = read(out.join("src/sparkpost_subaccounts.rs"));
    let types = module.matches("    pub struct ").count() + module.matches("    pub enum ").count();
    assert!(types > 5);
    assert!(module.matches("#[non_exhaustive]").count() >= 5, "{module}");
    assert!(module.contains("#[derive(Default, Eq)]"), "{module}");
    // An attribute that is not one is refused, naming it.
    let (code, err) = generate(
        &[
            &spec("sparkpost-subaccounts.yaml"),
            "--type-attribute",
            "derive(Hash",
        ],
        &out_dir("bad-attr"),
    );
    assert_ne!(code, 0);
    assert!(err.contains("derive(Hash"), "{err}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn module_names() {
    let out = out_dir("modules");
    let (sparkpost, cakemail) = (
        spec("sparkpost-subaccounts.yaml"),
        spec("cakemail-partner.yaml"),
    );
    let (code, err) = generate(&[&sparkpost, "--module-name", "sparkpost"], &out);
    assert_eq!(code, 0, "{err}");
    assert!(read(out.join("src/lib.rs")).contains("pub mod sparkpost;"));
    assert!(out.join("src/sparkpost.rs").exists());
    // With several specs, each is named by its file's stem.
    let (code, err) = generate(
        &[
            &sparkpost,
            &cakemail,
            "--module-name",
            "cakemail-partner=cakemail",
            "--module-name",
            "sparkpost-subaccounts=sparkpost",
        ],
        &out,
    );
    assert_eq!(code, 0, "{err}");
    let lib = read(out.join("src/lib.rs"));
    assert!(
        lib.contains("pub mod cakemail;") && lib.contains("pub mod sparkpost;"),
        "{lib}"
    );
    assert!(!out.join("src/sparkpost_subaccounts.rs").exists());
    let (code, err) = generate(
        &[&sparkpost, &cakemail, "--module-name", "x"],
        &out_dir("modules-ambiguous"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("say which: --module-name STEM=x"), "{err}");
    let (code, err) = generate(
        &[&sparkpost, "--module-name", "Not A Module"],
        &out_dir("modules-bad"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("is not a snake_case Rust identifier"), "{err}");
    let _ = std::fs::remove_dir_all(&out);
}

/// The builder's new options, as the flags above: `tags`, `derive`.
#[test]
fn the_builder_keeps_tags_and_derives() {
    let dir = out_dir("builder");
    let file = openapi_gen::configure()
        .emit_rerun_if_changed(false)
        .out_dir(&dir)
        .tags(["Templates"])
        .derive(["Eq"])
        .generate(spec("cakemail-partner.yaml"))
        .unwrap();
    let module = read(file);
    let methods = client_methods(&module);
    // (`for_account` scopes the client to a sub-account: not an operation.)
    assert!(
        methods
            .iter()
            .all(|m| m.contains("template") || m == "for_account"),
        "{methods:?}"
    );
    assert!(module.contains("#[derive(Eq)]"));
    let refused = openapi_gen::configure()
        .emit_rerun_if_changed(false)
        .out_dir(&dir)
        .tags(["Gone"])
        .generate(spec("cakemail-partner.yaml"))
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("no operation is tagged \"Gone\""),
        "{refused}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--driver` (`.driver(true)`): each module's `driver`, with every operation's id, and the
/// crate's `drive` over the modules; without it, neither.
#[test]
fn driver_modules_and_the_crates_drive() {
    let out = out_dir("driver");
    let (sparkpost, cakemail) = (
        spec("sparkpost-subaccounts.yaml"),
        spec("cakemail-partner.yaml"),
    );
    let (code, err) = generate(&[&sparkpost, &cakemail, "--driver"], &out);
    assert_eq!(code, 0, "{err}");
    let lib = read(out.join("src/lib.rs"));
    assert!(lib.contains("pub fn drive("), "{lib}");
    assert!(lib.contains("\"cakemail_partner\" => cakemail_partner::driver::call("));
    let module = read(out.join("src/sparkpost_subaccounts.rs"));
    let start = module.find("pub mod driver {").expect("a driver");
    for id in [
        "listSubaccounts",
        "createSubaccount",
        "getSubaccount",
        "updateSubaccount",
    ] {
        assert!(module[start..].contains(&format!("\"{id}\" => ")), "{id}");
    }
    let (code, err) = generate(&[&sparkpost, &cakemail], &out);
    assert_eq!(code, 0, "{err}");
    assert!(!read(out.join("src/lib.rs")).contains("pub fn drive("));
    assert!(!read(out.join("src/sparkpost_subaccounts.rs")).contains("pub mod driver"));
    let _ = std::fs::remove_dir_all(&out);

    let dir = out_dir("driver-builder");
    let file = openapi_gen::configure()
        .emit_rerun_if_changed(false)
        .out_dir(&dir)
        .driver(true)
        .generate(&sparkpost)
        .unwrap();
    assert!(read(file).contains("pub mod driver {"));
    let _ = std::fs::remove_dir_all(&dir);
}
