//! The boxed futures and streams that generated code and the runtime hand out.

/// The future of a request sent with `.await` on its builder.
pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'static>>;

/// The stream of a paginated operation's items: boxed, so it is `Unpin` and `.next().await`
/// works on it directly.
pub type BoxStream<T> = std::pin::Pin<Box<dyn futures::Stream<Item = T> + Send + 'static>>;
