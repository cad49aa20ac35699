//! The README's client example, compiled: the block under `<!-- example: client ... -->` in
//! README.md must be this file's example, line for line (the `use` lines at the top, the
//! rest inside the function), so the README cannot show code that does not build.

use futures::StreamExt;
use generated_client::{cakemail_partner as cakemail, sparkpost_subaccounts as sparkpost};

/// The README's example; `token` is the Cakemail partner's bearer token.
#[allow(dead_code, unused_variables)]
async fn example(token: String) -> Result<(), Box<dyn std::error::Error>> {
    // README begin
    // Credentials are set once, as each spec's securitySchemes say.
    let sp = sparkpost::Client::new().with_api_key_auth(std::env::var("SPARKPOST_API_KEY")?);
    let page = sp
        .list_subaccounts()
        .status(sparkpost::types::Status::Active)
        .per_page(50)
        .send()
        .await?;

    // Every item of every page (SparkPost: cursor + links.next; Cakemail: page/per_page).
    let mut all = sp.list_subaccounts().stream();
    while let Some(sub) = all.next().await {
        println!("{:?}", sub?.name);
    }

    // A partner acts for one of its sub-accounts: every request takes its account_id.
    let partner = cakemail::Client::new().with_bearer_auth(token);
    let acme = partner.for_account(1234);
    let campaigns = acme.list_campaigns().await?; // builders are futures too

    // Errors are typed by the status the spec documents.
    match sp.get_subaccount(42).send().await {
        Err(e) if e.status().map(|s| s.as_u16()) == Some(404) => { /* ... */ }
        // `runtime` is the runtime the generated crate re-exports (vendored or shared).
        Err(generated_client::runtime::Error::Api { error, .. }) => {
            eprintln!("{:?} {:?}", error.body, error.request_id())
        }
        Err(e) => return Err(e.into()),
        Ok(sub) => println!("{:?}", sub.results),
    }
    // README end
    Ok(())
}

#[test]
fn the_readme_client_example_is_this_file() {
    let readme = include_str!("../README.md");
    let block = readme
        .split("<!-- example: client (compiled by tests/readme.rs) -->\n```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md has the client example");
    let this = include_str!("readme.rs");
    let uses: Vec<&str> = this.lines().filter(|l| l.starts_with("use ")).collect();
    let body: Vec<String> = this
        .split("    // README begin\n")
        .nth(1)
        .and_then(|rest| rest.split("    // README end").next())
        .unwrap()
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
        .collect();
    let expected = format!("{}\n\n{}\n", uses.join("\n"), body.join("\n"));
    assert_eq!(block, expected);
}
