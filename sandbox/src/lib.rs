//! A local partner sandbox: the SparkPost Subaccounts API (under `/sparkpost`) and the
//! Cakemail Partner API (under `/cakemail`) in one process, implemented on the server traits
//! that openapi-gen generates from `specs/`, so every request is validated against the specs
//! before the code here runs. State lives in SQLite and survives restarts.

mod cakemail;
mod sparkpost;
mod store;

use std::path::PathBuf;
use std::sync::Arc;

use openapi_gen_runtime::Credential;

pub use cakemail::Cakemail;
pub use sparkpost::SparkPost;
pub use store::{Store, StoreError};

/// Partners and their secrets: a partner's secret is its SparkPost API key and its Cakemail
/// bearer token.
#[derive(Debug, Clone, Default)]
pub struct Partners {
    list: Vec<(String, String)>,
}

impl Partners {
    pub fn new(list: impl IntoIterator<Item = (String, String)>) -> Partners {
        Partners {
            list: list.into_iter().collect(),
        }
    }

    /// The partner whose secret this is.
    pub fn by_secret(&self, secret: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(_, s)| s == secret)
            .map(|(name, _)| name.as_str())
    }
}

/// Where the sandbox keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// `sandbox.sqlite3` in this folder.
    Dir(PathBuf),
    /// In memory: gone when the process ends.
    Memory,
}

/// Where the SparkPost API is served.
pub const SPARKPOST_MOUNT: &str = "/sparkpost";

/// Both APIs over one store.
#[derive(Debug, Clone)]
pub struct Sandbox {
    store: Arc<Store>,
    partners: Arc<Partners>,
}

impl Sandbox {
    pub fn open(storage: &Storage, partners: Partners) -> Result<Sandbox, StoreError> {
        let store = match storage {
            Storage::Dir(dir) => Store::open_dir(dir)?,
            Storage::Memory => Store::in_memory()?,
        };
        Ok(Sandbox {
            store: Arc::new(store),
            partners: Arc::new(partners),
        })
    }

    /// The HTTP service: SparkPost under [`SPARKPOST_MOUNT`], Cakemail under `/cakemail`.
    pub fn router(
        &self,
        config: openapi_gen_runtime::server::Config,
    ) -> openapi_gen_runtime::server::axum::Router {
        use generated_client::{cakemail_partner, sparkpost_subaccounts};
        let sparkpost = SparkPost {
            store: Arc::clone(&self.store),
            mount: SPARKPOST_MOUNT,
        };
        let cakemail = Cakemail {
            store: Arc::clone(&self.store),
        };
        // Keys and tokens are checked by the routers, before any method runs.
        let (store, partners) = (Arc::clone(&self.store), Arc::clone(&self.partners));
        let sparkpost_config =
            config
                .clone()
                .authenticate_scheme("ApiKeyAuth", move |_, credential: Credential| {
                    let principal = sparkpost::authenticate(&store, &partners, &credential);
                    async move { principal }
                });
        let partners = Arc::clone(&self.partners);
        let cakemail_config =
            config.authenticate_scheme("bearerAuth", move |_, credential: Credential| {
                let partner = cakemail::authenticate(&partners, &credential);
                async move { partner }
            });
        openapi_gen_runtime::server::axum::Router::new()
            .nest(
                SPARKPOST_MOUNT,
                sparkpost_subaccounts::server::router_with(sparkpost, sparkpost_config),
            )
            .nest(
                "/cakemail",
                cakemail_partner::server::router_with(cakemail, cakemail_config),
            )
    }
}
