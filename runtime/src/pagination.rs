use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

use crate::error::Error;

/// A stream of every item of every page. `fetch` gets one page for a request; `split` takes
/// the request and its page and returns the page's items and the request for the next page,
/// if any. The stream ends after the last page or at the first error (which it yields).
pub fn paginate<R, P, I, E, Fut, F, S>(
    first: R,
    fetch: F,
    split: S,
) -> impl Stream<Item = Result<I, Error<E>>>
where
    F: Fn(R) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
    S: Fn(&R, P) -> (Vec<I>, Option<R>),
    R: Clone,
{
    let fetch = move |request: R| {
        let page = fetch(request.clone());
        async move { (request, page.await) }
    };
    Pages::new(first, fetch, move |request: R, page| split(&request, page))
}

/// The state of [`paginate`]'s stream: the items of the page at hand are handed out as they
/// are (no future is made for them); the next page is fetched when they run out.
struct Pages<R, I, Fut, F, S> {
    /// The request of the next page, if any.
    next: Option<R>,
    page: std::vec::IntoIter<I>,
    /// The future of the page being fetched (it gives the request back with the page), or
    /// of the last page fetched: its box is reused for the next page's.
    fetching: Option<Pin<Box<Fut>>>,
    /// Whether `fetching` is a page still to come.
    in_flight: bool,
    fetch: F,
    split: S,
}

impl<R, I, Fut, F, S> Pages<R, I, Fut, F, S> {
    fn new(first: R, fetch: F, split: S) -> Self {
        Pages {
            next: Some(first),
            page: Vec::new().into_iter(),
            fetching: None,
            in_flight: false,
            fetch,
            split,
        }
    }
}

// Nothing is pinned in place: the page's future is in its own box.
impl<R, I, Fut, F, S> Unpin for Pages<R, I, Fut, F, S> {}

impl<R, P, I, E, Fut, F, S> Stream for Pages<R, I, Fut, F, S>
where
    F: Fn(R) -> Fut,
    Fut: Future<Output = (R, Result<P, Error<E>>)>,
    S: Fn(R, P) -> (Vec<I>, Option<R>),
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.page.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if !this.in_flight {
                // The spent page's buffer is freed before the next page is asked for, so
                // that the allocator can give it to the next page.
                this.page = Vec::new().into_iter();
                let Some(request) = this.next.take() else {
                    return Poll::Ready(None);
                };
                let page = (this.fetch)(request);
                match &mut this.fetching {
                    Some(done) => done.set(page),
                    None => this.fetching = Some(Box::pin(page)),
                }
                this.in_flight = true;
            }
            let Some(page) = &mut this.fetching else {
                unreachable!("a page in flight has a future");
            };
            let (request, outcome) = std::task::ready!(page.as_mut().poll(cx));
            this.in_flight = false;
            match outcome {
                Ok(page) => {
                    let (items, following) = (this.split)(request, page);
                    if items.is_empty() {
                        // An empty page ends the listing even if the server offers another.
                        return Poll::Ready(None);
                    }
                    this.page = items.into_iter();
                    this.next = following;
                }
                // The stream ends at its first error.
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }
}

/// The stream of a paginated operation's items, as its `.stream()` returns it.
pub type Items<O, I> = crate::boxed::BoxStream<Result<I, Error<<O as crate::Builder>::ErrorBody>>>;

/// Every item of every page of `first`: each page is sent and decoded as the operation says;
/// `split` takes the request and its page and returns the page's items and the request for
/// the next page (the same request, changed), if any.
pub fn pages<O, I>(
    first: O,
    split: impl Fn(O, O::Output) -> (Vec<I>, Option<O>) + Send + Sync + 'static,
) -> Items<O, I>
where
    O: crate::Operation + Sync,
    I: Send + 'static,
{
    Box::pin(Pages::new(first, crate::operation::send_keeping, split))
}

/// The same, for operations whose next page is announced by a header: `split` also gets
/// the page's status and headers.
pub fn pages_with_response<O, I>(
    first: O,
    split: impl Fn(O, crate::Response<O::Output, O::Headers>) -> (Vec<I>, Option<O>)
        + Send
        + Sync
        + 'static,
) -> Items<O, I>
where
    O: crate::Operation + Sync,
    I: Send + 'static,
{
    Box::pin(Pages::new(first, crate::operation::with_response, split))
}

/// Sets `field` (a parameter of the next request) to the value the next link's `query` gives
/// parameter `name`, when it gives one that reads as the field's type; whether that changed
/// the field.
pub fn set_from_link<T: std::str::FromStr + PartialEq>(
    query: &[(String, String)],
    name: &str,
    field: &mut Option<T>,
) -> bool {
    let found = query
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse::<T>().ok());
    match found {
        Some(found) if field.as_ref() != Some(&found) => {
            *field = Some(found);
            true
        }
        _ => false,
    }
}

/// The query of the `rel="next"` link of a response's `Link` headers (RFC 8288), as
/// name-value pairs; `None` when there is no next link. Only the query is returned: the
/// generated client asks its own base URL for the next page, whatever origin the link names.
pub fn next_link_query(headers: &http::HeaderMap) -> Option<Vec<(String, String)>> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(split_links)
        .find(|(_, params)| {
            params.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("rel")
                    && v.split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        })
        .map(|(target, _)| {
            let query = target.split_once('?').map_or("", |(_, q)| q);
            let query = query.split_once('#').map_or(query, |(q, _)| q);
            serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
        })
}

/// The links of one `Link` header value: `<target>; name=value; name="quoted"`, comma-separated.
fn split_links(value: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut links = Vec::new();
    let mut rest = value.trim();
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let target = rest[start + 1..start + end].trim().to_string();
        rest = &rest[start + end + 1..];
        let mut params = Vec::new();
        // Parameters until the next link (a comma outside quotes) or the end.
        loop {
            rest = rest.trim_start();
            let Some(after) = rest.strip_prefix(';') else {
                break;
            };
            let after = after.trim_start();
            let name_end = after.find(['=', ';', ',']).unwrap_or(after.len());
            let name = after[..name_end].trim().to_string();
            rest = &after[name_end..];
            let mut value = String::new();
            if let Some(v) = rest.strip_prefix('=') {
                let v = v.trim_start();
                if let Some(quoted) = v.strip_prefix('"') {
                    let close = quoted.find('"').unwrap_or(quoted.len());
                    value = quoted[..close].to_string();
                    rest = quoted.get(close + 1..).unwrap_or("");
                } else {
                    let stop = v.find([';', ',']).unwrap_or(v.len());
                    value = v[..stop].trim().to_string();
                    rest = &v[stop..];
                }
            }
            params.push((name, value));
        }
        links.push((target, params));
        rest = rest.trim_start().strip_prefix(',').unwrap_or(rest);
    }
    links
}

/// The value of query parameter `name` in `link`, when `link` is a URL or a path with a
/// query; else `link` itself is the value (APIs return either as "next").
pub fn cursor_from_link(link: &str, name: &str) -> String {
    match link.split_once('?') {
        Some((_, query)) => serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v))
            .unwrap_or_else(|| link.to_string()),
        None => link.to_string(),
    }
}

/// The cursor of the next page, from the page's `next` field (a cursor, or a link whose
/// query has the cursor parameter `name`): `None` when there is none, it is empty, or it is
/// the cursor just sent (an API that repeats itself must not loop forever).
pub fn next_cursor(next: Option<&String>, name: &str, current: Option<&str>) -> Option<String> {
    let next = next.filter(|n| !n.is_empty())?;
    let cursor = cursor_from_link(next, name);
    (current != Some(cursor.as_str())).then_some(cursor)
}

/// The number of the page after page `current` (pages count from `first`; `None`: the first
/// page) of `size` items, which held `count` items; `None` when it was the last: by the
/// `total` number of items when the API gives it, else by whether the page was full (or,
/// without a size, not empty).
pub fn next_page(
    first: i64,
    current: Option<i64>,
    size: Option<i64>,
    count: usize,
    total: Option<i64>,
) -> Option<i64> {
    let current = current.unwrap_or(first);
    let count = count as i64;
    let more = match (total, size) {
        (Some(total), Some(size)) => (current - first + 1).saturating_mul(size) < total,
        (None, Some(size)) => count >= size,
        _ => count > 0,
    };
    more.then(|| current.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[test]
    fn next_links_set_parameters() {
        let query = vec![
            ("page".to_string(), "3".to_string()),
            ("q".into(), "x y".into()),
        ];
        let mut page: Option<i64> = Some(2);
        assert!(set_from_link(&query, "page", &mut page));
        assert_eq!(page, Some(3));
        assert!(!set_from_link(&query, "page", &mut page));
        let mut q: Option<String> = None;
        assert!(set_from_link(&query, "q", &mut q));
        assert_eq!(q.as_deref(), Some("x y"));
        let mut missing: Option<i64> = Some(1);
        assert!(!set_from_link(&query, "per_page", &mut missing));
        assert_eq!(missing, Some(1));
    }

    #[test]
    fn next_pages_and_cursors() {
        assert_eq!(next_page(1, None, Some(10), 10, Some(25)), Some(2));
        assert_eq!(next_page(1, Some(3), Some(10), 5, Some(25)), None);
        assert_eq!(next_page(0, Some(0), Some(10), 10, None), Some(1));
        assert_eq!(next_page(1, Some(1), Some(10), 9, None), None);
        assert_eq!(next_page(1, Some(1), None, 0, None), None);
        let next = |s: &str| Some(s.to_string());
        assert_eq!(
            next_cursor(next("/x?after=b").as_ref(), "after", Some("a")),
            next("b")
        );
        assert_eq!(next_cursor(next("b").as_ref(), "after", Some("b")), None);
        assert_eq!(next_cursor(next("").as_ref(), "after", None), None);
        assert_eq!(next_cursor(None, "after", None), None);
    }

    #[tokio::test]
    async fn walks_pages_until_none_or_empty() {
        let pages = [vec![1, 2], vec![3], vec![]];
        let stream = paginate(
            0usize,
            |i: usize| {
                let page = pages.get(i).cloned().unwrap_or_default();
                async move { Ok::<_, Error<()>>((i, page)) }
            },
            |_, (i, page): (usize, Vec<i32>)| (page, Some(i + 1)),
        );
        let items: Vec<i32> = stream.map(|r| r.unwrap()).collect().await;
        assert_eq!(items, [1, 2, 3]);
    }

    #[test]
    fn next_links_from_link_headers() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::LINK,
            "<https://api.github.com/repositories/1/issues?page=3&per_page=2>; rel=\"next\", <https://api.github.com/repositories/1/issues?page=9>; rel=\"last\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link_query(&h).unwrap(),
            [
                ("page".to_string(), "3".to_string()),
                ("per_page".to_string(), "2".to_string())
            ]
        );
        // Unquoted, several relations, other parameters first, a comma in a quoted title.
        h.insert(
            http::header::LINK,
            "</a?x=1>; title=\"a, b\"; rel=\"prev first\", </a?cursor=abc%3D#frag>; type=text; rel=next"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link_query(&h).unwrap(),
            [("cursor".to_string(), "abc=".to_string())]
        );
        h.insert(
            http::header::LINK,
            "<https://x/?page=1>; rel=\"prev\"".parse().unwrap(),
        );
        assert_eq!(next_link_query(&h), None);
        assert_eq!(next_link_query(&http::HeaderMap::new()), None);
        // Garbage is no link at all, never a panic.
        for bad in [
            "<",
            "<a",
            ">; rel=next",
            "<a>;",
            "<a>; rel",
            "<a>; rel=\"next",
            ",,,",
        ] {
            h.insert(http::header::LINK, bad.parse().unwrap());
            let _ = next_link_query(&h);
        }
    }

    #[test]
    fn cursors_from_links() {
        assert_eq!(
            cursor_from_link("/api/v1/subaccounts?cursor=abc%3D&per_page=2", "cursor"),
            "abc="
        );
        assert_eq!(cursor_from_link("abc", "cursor"), "abc");
    }
}
