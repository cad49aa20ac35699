//! Names a careful person would write (`tests/fixtures/codegen/naming.yaml`), used as users
//! use them, over HTTP: the empty string that clears a form field is `rt::OrEmpty::Empty`,
//! its value `OrEmpty::Value(..)` of a struct named by its `title`; a union's inline variants
//! are structs named by their titles; one shape met at two places (a body's field and a
//! query parameter) is one type named by what the places share (`Priority`); an operation's
//! enum of successes does not take the name of the type it holds.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use codegen_fixtures::naming::{self as api, ops, server, types};
use common::serve;
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::{reqwest, OrEmpty};

/// Keeps every body it is given; pays by bank when the address was cleared.
#[derive(Clone, Default)]
struct Shop {
    bodies: Arc<Mutex<Vec<types::UpdateCustomerBody>>>,
    filters: Arc<Mutex<Vec<Option<types::Priority>>>>,
}

impl server::Api for Shop {
    async fn update_customer(
        &self,
        _: Request,
        params: server::UpdateCustomerParams,
        body: types::UpdateCustomerBody,
    ) -> server::Result<server::UpdateCustomerReply> {
        let payment_method = match &body.address {
            Some(OrEmpty::Empty) => {
                types::UpdateCustomerResponsePaymentMethod::BankAccount(types::BankAccount {
                    iban: "NO93 8601 1117 947".into(),
                })
            }
            _ => types::UpdateCustomerResponsePaymentMethod::CardDetails(types::CardDetails {
                last4: "4242".into(),
            }),
        };
        self.bodies.lock().unwrap().push(body);
        Ok(server::UpdateCustomerReply::Ok(
            types::UpdateCustomerResponse {
                id: params.id,
                payment_method: Some(payment_method),
            },
        ))
    }

    async fn list_customers(
        &self,
        _: Request,
        params: server::ListCustomersParams,
    ) -> server::Result<server::ListCustomersReply> {
        self.filters.lock().unwrap().push(params.priority);
        Ok(server::ListCustomersReply::Ok(vec!["cus_1".into()]))
    }

    async fn create_completion(
        &self,
        _: Request,
        body: types::CreateCompletionBody,
    ) -> server::Result<server::CreateCompletionReply> {
        Ok(server::CreateCompletionReply::OkJson(
            types::CreateCompletionResponse {
                text: format!("{}!", body.prompt),
            },
        ))
    }
}

fn body() -> types::UpdateCustomerBody {
    types::UpdateCustomerBody {
        address: None,
        shipping: None,
        metadata: None,
        priority: None,
    }
}

#[tokio::test]
async fn a_field_is_set_or_cleared_with_the_empty_string() {
    let shop = Shop::default();
    let base = serve(server::router(shop.clone())).await;
    let client = api::Client::new().with_base_url(&base);

    let set = types::UpdateCustomerBody {
        address: Some(OrEmpty::Value(types::OptionalFieldsAddress {
            line1: Some("Kai 2".into()),
            city: Some("Hamburg".into()),
        })),
        shipping: Some(OrEmpty::Value(types::UpdateCustomerBodyShipping {
            name: "Dock 4".into(),
        })),
        metadata: Some(OrEmpty::Value(BTreeMap::from([(
            "order".to_string(),
            "42".to_string(),
        )]))),
        priority: Some(types::Priority::High),
    };
    let answer = client.update_customer("cus_1", set.clone()).await.unwrap();
    assert_eq!(
        answer.payment_method,
        Some(types::UpdateCustomerResponsePaymentMethod::CardDetails(
            types::CardDetails {
                last4: "4242".into()
            }
        ))
    );

    let cleared = types::UpdateCustomerBody {
        address: Some(OrEmpty::Empty),
        shipping: Some(OrEmpty::Empty),
        metadata: Some(OrEmpty::Empty),
        ..body()
    };
    let answer = client
        .update_customer("cus_1", cleared.clone())
        .await
        .unwrap();
    assert!(matches!(
        answer.payment_method,
        Some(types::UpdateCustomerResponsePaymentMethod::BankAccount(_))
    ));
    assert_eq!(*shop.bodies.lock().unwrap(), vec![set, cleared]);
}

#[tokio::test]
async fn the_empty_string_on_the_wire_is_read_as_empty_and_nothing_else_is() {
    let shop = Shop::default();
    let base = serve(server::router(shop.clone())).await;
    let post = |form: &'static str| {
        let base = base.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/customers/cus_1"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post("address=&metadata=&shipping[name]=Dock").await, 200);
    let received = shop.bodies.lock().unwrap().pop().unwrap();
    assert_eq!(received.address, Some(OrEmpty::Empty));
    assert_eq!(received.metadata, Some(OrEmpty::Empty));
    assert_eq!(
        received.shipping,
        Some(OrEmpty::Value(types::UpdateCustomerBodyShipping {
            name: "Dock".into()
        }))
    );
    // Text that is neither the empty string nor a value of the type is refused.
    assert_eq!(post("address=Hamburg").await, 400);
    assert_eq!(post("shipping[nickname]=x").await, 400);
    assert!(shop.bodies.lock().unwrap().is_empty());
}

#[tokio::test]
async fn one_shape_at_two_places_is_one_type_named_by_what_they_share() {
    let shop = Shop::default();
    let base = serve(server::router(shop.clone())).await;
    let client = api::Client::new().with_base_url(&base);
    // The query parameter's type is the body field's.
    let low: types::Priority = types::Priority::Low;
    client.list_customers().priority(low.clone()).await.unwrap();
    let body = types::UpdateCustomerBody {
        priority: Some(low.clone()),
        ..body()
    };
    client.update_customer("cus_2", body).await.unwrap();
    assert_eq!(*shop.filters.lock().unwrap(), vec![Some(low)]);
}

#[tokio::test]
async fn the_enum_of_successes_is_not_named_as_the_type_it_holds() {
    let base = serve(server::router(Shop::default())).await;
    let client = api::Client::new().with_base_url(&base);
    let answer: ops::CreateCompletionSuccess = client
        .create_completion(types::CreateCompletionBody {
            prompt: "hello".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        answer,
        ops::CreateCompletionSuccess::OkJson(types::CreateCompletionResponse {
            text: "hello!".into()
        })
    );
}
