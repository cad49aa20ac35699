//! Handlers as the dispatcher holds them: a closure ([`handler`]) or one operation of an
//! implementation ([`Handle`], [`handle`]), as `serve!` writes it.

#[cfg(doc)]
use super::Dispatcher;
use super::{Error, Input, Reply, Result};

/// The future a handler returns: the reply, or the refusal the router renders.
pub type HandlerFuture = crate::boxed::BoxFuture<Result<Reply>>;

/// A handler as the dispatcher holds it: the future of one request, which may borrow the
/// handler (so that it need not own a copy of the implementation).
pub(crate) trait Respond: Send + Sync + 'static {
    fn respond(
        &self,
        input: Input,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Reply>> + Send + '_>>;
}

/// A closure given to [`Dispatcher::operation`].
pub(crate) struct Closure<F>(pub(crate) F);

impl<F> Respond for Closure<F>
where
    F: Fn(Input) -> HandlerFuture + Send + Sync + 'static,
{
    fn respond(
        &self,
        input: Input,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Reply>> + Send + '_>> {
        (self.0)(input)
    }
}

/// A handler for [`Dispatcher::operation`] that runs `f` on each validated request, with the
/// implementation `api` shared by every request.
pub fn handler<T, F, Fut>(
    api: &std::sync::Arc<T>,
    f: F,
) -> impl Fn(Input) -> HandlerFuture + Send + Sync + 'static
where
    T: ?Sized + Send + Sync + 'static,
    F: Fn(std::sync::Arc<T>, Input) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Reply>> + Send + 'static,
{
    let api = std::sync::Arc::clone(api);
    move |input| Box::pin(f(std::sync::Arc::clone(&api), input))
}

/// One operation of an implementation `T`, as `serve!` writes it: reads the operation's
/// inputs from the validated request and calls the method. A plain function returning the
/// method's future (mapped to a [`Reply`]), so that a generated router holds no state
/// machine per operation.
///
/// `call` reads every input (the parameters, then the body) before it calls the method: a
/// router built with [`Dispatcher::serve`] leaves the body's validation to that read, so an
/// implementation of this trait that did not read the body would see it unchecked.
pub trait Handle<T: ?Sized>: Send + Sync + 'static {
    /// The method's future, or the refusal of its inputs.
    fn call(
        api: &T,
        input: Input,
    ) -> std::result::Result<impl std::future::Future<Output = Result<Reply>> + Send + '_, Error>;
}

/// The handler of one operation of the implementation `api`, as `serve!` makes it (see
/// [`Handle`]); [`Dispatcher::serve`] takes it. Each request's inputs are read as it
/// arrives, and the method's future borrows the implementation from the router.
pub struct Served<T: ?Sized, H> {
    api: std::sync::Arc<T>,
    operation: std::marker::PhantomData<fn() -> H>,
}

/// The handler for [`Dispatcher::serve`] that serves each validated request with `H`,
/// the implementation `api` shared by every request.
pub fn handle<T, H>(api: &std::sync::Arc<T>) -> Served<T, H>
where
    T: ?Sized + Send + Sync + 'static,
    H: Handle<T>,
{
    Served {
        api: std::sync::Arc::clone(api),
        operation: std::marker::PhantomData,
    }
}

impl<T, H> Respond for Served<T, H>
where
    T: ?Sized + Send + Sync + 'static,
    H: Handle<T>,
{
    fn respond(
        &self,
        input: Input,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Reply>> + Send + '_>> {
        match H::call(&self.api, input) {
            Ok(future) => Box::pin(future),
            Err(error) => Box::pin(std::future::ready(Err(error))),
        }
    }
}

/// A method's future, its reply turned into the HTTP response by `into` (`XReply::into_reply`).
pub fn reply<F, R, G>(method: F, into: G) -> impl std::future::Future<Output = Result<Reply>> + Send
where
    F: std::future::Future<Output = Result<R>> + Send,
    G: FnOnce(R) -> Reply + Send,
{
    futures::FutureExt::map(method, move |r| r.map(into))
}
