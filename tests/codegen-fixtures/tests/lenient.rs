//! Specs with the faults published specs ship (`tests/fixtures/lenient/`), read as their
//! authors meant: the generated client against the generated server over 127.0.0.1.

use codegen_fixtures::{duplicate_operation_id as phones, path_params, swagger2_mixed as mail};
use openapi_gen_runtime::server::Request;
use openapi_gen_runtime::Nullable;

mod common;

use common::serve;

struct Phones;

impl phones::server::Api for Phones {
    async fn get_phone_numbers(
        &self,
        _: Request,
    ) -> phones::server::Result<phones::server::GetPhoneNumbersReply> {
        Ok(phones::server::GetPhoneNumbersReply::Ok(
            phones::types::PhoneNumbers {
                data: vec!["+15550100".into()],
            },
        ))
    }

    async fn get_v2_whatsapp_phone_numbers(
        &self,
        _: Request,
    ) -> phones::server::Result<phones::server::GetV2WhatsappPhoneNumbersReply> {
        Ok(phones::server::GetV2WhatsappPhoneNumbersReply::Ok(
            phones::types::PhoneNumbers {
                data: vec!["+15550199".into()],
            },
        ))
    }

    async fn delete_phone_number(
        &self,
        _: Request,
        _: phones::server::DeletePhoneNumberParams,
    ) -> phones::server::Result<phones::server::DeletePhoneNumberReply> {
        Ok(phones::server::DeletePhoneNumberReply::NoContent)
    }
}

#[tokio::test]
async fn one_operation_id_on_two_paths_is_two_methods_named_by_their_paths() {
    let base = serve(phones::server::router(Phones)).await;
    let client = phones::Client::new().with_base_url(&base);
    let all = client.get_phone_numbers().await.unwrap();
    let whatsapp = client.get_v2_whatsapp_phone_numbers().await.unwrap();
    assert_eq!(all.data, ["+15550100"]);
    assert_eq!(whatsapp.data, ["+15550199"]);
}

struct Accounts;

impl path_params::server::Api for Accounts {
    async fn get_user(
        &self,
        _: Request,
        params: path_params::server::GetUserParams,
    ) -> path_params::server::Result<path_params::server::GetUserReply> {
        // The undeclared `{account_id}` arrives as a string, the declared one typed.
        if params.account_id == "acme" && params.user_id == 7 {
            Ok(path_params::server::GetUserReply::Ok)
        } else {
            Err(path_params::server::Error::not_found("no such user"))
        }
    }

    async fn list_accounts(
        &self,
        _: Request,
        params: path_params::server::ListAccountsParams,
    ) -> path_params::server::Result<path_params::server::ListAccountsReply> {
        assert_eq!(params.limit, Some(5));
        Ok(path_params::server::ListAccountsReply::Ok)
    }

    async fn delete_account(
        &self,
        _: Request,
        params: path_params::server::DeleteAccountParams,
    ) -> path_params::server::Result<path_params::server::DeleteAccountReply> {
        assert_eq!(params.id, "a-1");
        Ok(path_params::server::DeleteAccountReply::NoContent)
    }
}

#[tokio::test]
async fn path_templates_and_parameters_that_disagree_still_route() {
    let base = serve(path_params::server::router(Accounts)).await;
    let client = path_params::Client::new().with_base_url(&base);
    // Arguments follow the template: the undeclared account first.
    client.get_user("acme", 7).await.unwrap();
    let missing = client.get_user("other", 7).await.unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    // The declared path parameter the template lacks is not asked for.
    client.list_accounts().limit(5).await.unwrap();
    // `required: false` on a path parameter: required all the same.
    client.delete_account("a-1").await.unwrap();
    let raw = reqwest_get(&format!("{base}/users/7")).await;
    assert_eq!(raw, 404, "a path without the account is no route");
}

async fn reqwest_get(url: &str) -> u16 {
    openapi_gen_runtime::reqwest::get(url)
        .await
        .unwrap()
        .status()
        .as_u16()
}

struct Mail;

impl mail::server::Api for Mail {
    async fn send_message(
        &self,
        _: Request,
        body: mail::types::Message,
    ) -> mail::server::Result<mail::server::SendMessageReply> {
        let id = match (&body.reply_to, &body.tags) {
            (Nullable::Value(a), Nullable::Null) => format!("reply-to {}", a.email),
            (Nullable::Null, Nullable::Value(tags)) => format!("tags {}", tags.join(",")),
            other => format!("{other:?}"),
        };
        Ok(mail::server::SendMessageReply::Accepted(
            mail::types::Receipt {
                id,
                status: mail::types::ReceiptStatus::Queued,
            },
        ))
    }
}

#[tokio::test]
async fn a_swagger_2_spec_written_partly_in_openapi_31_round_trips_its_nulls() {
    let base = serve(mail::server::router(Mail)).await;
    let client = mail::Client::new().with_base_url(&base);
    let message = |reply_to, tags| mail::types::Message {
        to: "ada@example.com".into(),
        subject: "Hello".into(),
        reply_to,
        tags,
    };
    let address = mail::types::Address {
        email: "grace@example.com".into(),
        name: None,
    };
    // `anyOf: [Address, {type: 'null'}]` and `type: [array, 'null']`: null is sent, and
    // accepted by the server, as the spec's author meant.
    let receipt = client
        .send_message(message(Nullable::Value(address), Nullable::Null))
        .await
        .unwrap();
    assert_eq!(receipt.id, "reply-to grace@example.com");
    assert_eq!(receipt.status, mail::types::ReceiptStatus::Queued);
    let receipt = client
        .send_message(message(
            Nullable::Null,
            Nullable::Value(vec!["a".into(), "b".into()]),
        ))
        .await
        .unwrap();
    assert_eq!(receipt.id, "tags a,b");
}
