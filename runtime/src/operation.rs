use std::time::Duration;

use crate::client::{ClientCore, RequestSpec};
use crate::error::{Error, Response};
use crate::raw::RawResponse;

/// What every request builder of a generated client has (written by
/// [`request_builder!`](crate::request_builder)): its client, its timeout, and what it
/// decodes into.
pub trait Builder: Sized + Send + 'static {
    /// What a documented success decodes into.
    type Output: Send + 'static;
    /// The documented error bodies, by status.
    type ErrorBody: Send + 'static;
    /// The headers the spec declares for the successes, typed (`()`: none).
    type Headers: crate::FromHeaders + Send + 'static;

    fn core(&self) -> &ClientCore;
    /// This request's timeout, when it overrides the client's.
    fn timeout_override(&self) -> Option<Duration>;
}

/// What a request builder builds: its request, or why it cannot.
pub type Built<O> = Result<RequestSpec, Error<<O as Builder>::ErrorBody>>;

/// What a response decodes into: the documented success, or the error.
pub type Decoded<O> = Result<<O as Builder>::Output, Error<<O as Builder>::ErrorBody>>;

/// What generated code says about one operation: how to build its request and decode its
/// response. Sending is written once, here.
pub trait Operation: Builder {
    fn request(&self) -> Built<Self>;
    fn decode(raw: RawResponse) -> Decoded<Self>;
}

pub(crate) fn build<O: Operation>(op: &O) -> Built<O> {
    let mut request = op.request()?;
    request.timeout = op.timeout_override();
    Ok(request)
}

/// Sends the operation's request and decodes the response.
pub async fn send<O: Operation>(op: O) -> Decoded<O> {
    let request = build(&op)?;
    let raw = op.core().execute(&request).await?;
    O::decode(raw)
}

/// [`send`], giving the operation back with its outcome (a page and the request that got
/// it, for the next page's request).
pub(crate) async fn send_keeping<O: Operation + Sync>(op: O) -> (O, Decoded<O>) {
    let outcome = async {
        let request = build(&op)?;
        let raw = op.core().execute(&request).await?;
        O::decode(raw)
    }
    .await;
    (op, outcome)
}

/// [`send`], boxed. What a builder's `send()` and `.await` return: the future is proven
/// `Send` once, here, for every operation, rather than once per operation in each generated
/// crate (which costs a large spec's crate seconds and hundreds of megabytes to check).
pub fn send_boxed<O: Operation>(op: O) -> crate::boxed::BoxFuture<Decoded<O>> {
    Box::pin(send(op))
}

/// [`send_with_response`], boxed, like [`send_boxed`].
#[allow(clippy::type_complexity)]
pub fn send_with_response_boxed<O: Operation>(
    op: O,
) -> crate::boxed::BoxFuture<Result<Response<O::Output, O::Headers>, Error<O::ErrorBody>>> {
    Box::pin(send_with_response(op))
}

/// Like [`send`], keeping the status, headers and raw body.
pub async fn send_with_response<O: Operation>(
    op: O,
) -> Result<Response<O::Output, O::Headers>, Error<O::ErrorBody>> {
    let request = build(&op)?;
    decode_with_response::<O>(op.core().execute(&request).await?)
}

/// What [`send_with_response`] gives: the decoded success with its status, headers and raw
/// body, or the error.
type Responded<O> = Result<
    Response<<O as Builder>::Output, <O as Builder>::Headers>,
    Error<<O as Builder>::ErrorBody>,
>;

/// [`send_with_response`], giving the operation back with its outcome.
pub(crate) async fn with_response<O: Operation + Sync>(op: O) -> (O, Responded<O>) {
    let outcome = async {
        let request = build(&op)?;
        decode_with_response::<O>(op.core().execute(&request).await?)
    }
    .await;
    (op, outcome)
}

/// A response decoded, with its status, headers and raw body.
fn decode_with_response<O: Operation>(raw: crate::RawResponse) -> Responded<O> {
    let (status, headers, body) = (raw.status, raw.headers.clone(), raw.body.clone());
    let value = O::decode(raw)?;
    Ok(Response {
        status,
        declared: crate::FromHeaders::from_headers(&headers),
        headers,
        raw: body,
        value,
    })
}
