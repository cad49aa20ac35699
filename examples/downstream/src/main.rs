//! Lists a partner's sub-accounts, then the campaigns of each, with a client generated at
//! build time. `downstream BASE_URL TOKEN` (e.g. the sandbox's URL).

#[allow(dead_code)] // a binary uses part of the API
mod cakemail {
    include!(concat!(env!("OUT_DIR"), "/cakemail_partner.rs"));
}

use openapi_gen_runtime::futures::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(base), Some(token)) = (args.next(), args.next()) else {
        eprintln!("usage: downstream BASE_URL TOKEN");
        std::process::exit(2);
    };
    let partner = cakemail::Client::new()
        .with_base_url(base)
        .with_bearer_auth(token);
    let mut accounts = partner.list_sub_accounts().per_page(50).stream();
    while let Some(account) = accounts.next().await {
        let account = account?;
        let campaigns = partner.for_account(account.id).list_campaigns().await?;
        println!(
            "{} {} ({}): {} campaigns",
            account.id, account.company_name, account.status, campaigns.pagination.count
        );
    }
    Ok(())
}
