//! Every fixture's emitted client, compiled. A fixture whose output does not compile, or
//! warns, fails the workspace build; `tests/` exercises the constructs at run time.

macro_rules! fixture {
    ($($name:ident),* $(,)?) => {
        $(
            pub mod $name {
                include!(concat!(env!("OUT_DIR"), "/", stringify!($name), ".rs"));
            }
        )*
    };
}

// A spec in several files (`tests/fixtures/multi/`), module named after its root file.
fixture!(api);

fixture!(
    all_of,
    bodies,
    enums,
    forms,
    idempotency,
    link_pagination,
    maps,
    names,
    naming,
    no_operations,
    nullable,
    oauth,
    openapi31,
    openapi32,
    params,
    published,
    recursion,
    responses,
    security,
    streams,
    structured_responses,
    swagger2,
    unions,
    webhooks
);

// Specs with the faults published specs ship (`tests/fixtures/lenient/`), read as their
// authors meant.
fixture!(
    duplicate_operation_id,
    openapi30_mixed,
    openapi31_nullable,
    path_params,
    schema_faults,
    swagger2_mixed
);

// The public callback example, as published (`tests/corpus/files/oai__callback-example.yaml`).
fixture!(oai_callback_example);
fixture!(vonage_sms);

/// The user's own types for the `shop` fixture's `Money` and `Currency` schemas.
pub mod money {
    use openapi_gen_runtime::serde::{Deserialize, Serialize};

    /// An amount in cents, with its currency.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(crate = "openapi_gen_runtime::serde")]
    pub struct Money {
        pub cents: u64,
        pub currency: Currency,
    }

    impl Money {
        /// The user's own behaviour, which generated types would not have.
        pub fn display(&self) -> String {
            format!(
                "{}.{:02} {:?}",
                self.cents / 100,
                self.cents % 100,
                self.currency
            )
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(crate = "openapi_gen_runtime::serde")]
    pub enum Currency {
        #[serde(rename = "EUR")]
        Eur,
        #[serde(rename = "USD")]
        Usd,
    }
}

/// A spec whose `Money` and `Currency` are the user's types (`money`).
pub mod shop {
    include!(concat!(env!("OUT_DIR"), "/shop.rs"));
}
