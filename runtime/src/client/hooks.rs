//! Hooks: code a user runs on every request before it is sent, or on every response.

use crate::raw::RawResponse;

/// A future a [`Hook`] returns.
pub type HookFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

/// Observes and adjusts what a client sends and receives: given to `Client::with_hook`.
/// Both methods do nothing unless implemented; they may be async.
pub trait Hook: Send + Sync + 'static {
    /// Every request just before it is sent, retries included: its headers, URL and body may
    /// be changed (a signature, a request id).
    fn on_request<'a>(
        &'a self,
        operation: &'static str,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        let _ = (operation, request);
        Box::pin(async {})
    }

    /// Every response as received, before it is decoded (metrics, logs).
    fn on_response<'a>(
        &'a self,
        operation: &'static str,
        response: &'a RawResponse,
    ) -> HookFuture<'a> {
        let _ = (operation, response);
        Box::pin(async {})
    }
}

/// A [`Hook`] from a function that adjusts each outgoing request.
pub fn request_hook<F>(f: F) -> impl Hook
where
    F: Fn(&'static str, &mut reqwest::Request) + Send + Sync + 'static,
{
    struct OnRequest<F>(F);
    impl<F: Fn(&'static str, &mut reqwest::Request) + Send + Sync + 'static> Hook for OnRequest<F> {
        fn on_request<'a>(
            &'a self,
            operation: &'static str,
            request: &'a mut reqwest::Request,
        ) -> HookFuture<'a> {
            (self.0)(operation, request);
            Box::pin(async {})
        }
    }
    OnRequest(f)
}

/// A [`Hook`] from a function that observes each response.
pub fn response_hook<F>(f: F) -> impl Hook
where
    F: Fn(&'static str, &RawResponse) + Send + Sync + 'static,
{
    struct OnResponse<F>(F);
    impl<F: Fn(&'static str, &RawResponse) + Send + Sync + 'static> Hook for OnResponse<F> {
        fn on_response<'a>(
            &'a self,
            operation: &'static str,
            response: &'a RawResponse,
        ) -> HookFuture<'a> {
            (self.0)(operation, response);
            Box::pin(async {})
        }
    }
    OnResponse(f)
}
