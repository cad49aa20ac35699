use crate::client::{ClientCore, RequestSpec};
use crate::error::{Error, Response};
use crate::raw::RawResponse;

/// What generated code says about one operation's request builder: how to build its request
/// and decode its response. Sending is written once, here.
pub trait Operation: Sized + Send + 'static {
    /// What a documented success decodes into.
    type Output: Send + 'static;
    /// The documented error bodies, by status.
    type ErrorBody: Send + 'static;

    fn core(&self) -> &ClientCore;
    fn request(&self) -> Result<RequestSpec, Error<Self::ErrorBody>>;
    fn decode(raw: RawResponse) -> Result<Self::Output, Error<Self::ErrorBody>>;
}

/// Sends the operation's request and decodes the response.
pub async fn send<O: Operation>(op: O) -> Result<O::Output, Error<O::ErrorBody>> {
    let request = op.request()?;
    let raw = op.core().execute(&request).await?;
    O::decode(raw)
}

/// Like [`send`], keeping the status, headers and raw body.
pub async fn send_with_response<O: Operation>(
    op: O,
) -> Result<Response<O::Output>, Error<O::ErrorBody>> {
    let request = op.request()?;
    let raw = op.core().execute(&request).await?;
    let (status, headers, body) = (raw.status, raw.headers.clone(), raw.body.clone());
    let value = O::decode(raw)?;
    Ok(Response {
        status,
        headers,
        raw: body,
        value,
    })
}
