use std::collections::VecDeque;
use std::future::Future;

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
    let state = (Some(first), VecDeque::<I>::new(), fetch, split);
    futures::stream::unfold(state, |(mut next, mut buffer, fetch, split)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (next, buffer, fetch, split)));
            }
            let request = next.take()?;
            match fetch(request.clone()).await {
                Ok(page) => {
                    let (items, following) = split(&request, page);
                    if items.is_empty() {
                        // An empty page ends the listing even if the server offers another.
                        return None;
                    }
                    buffer.extend(items);
                    next = following;
                }
                Err(e) => return Some((Err(e), (None, buffer, fetch, split))),
            }
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

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
    fn cursors_from_links() {
        assert_eq!(
            cursor_from_link("/api/v1/subaccounts?cursor=abc%3D&per_page=2", "cursor"),
            "abc="
        );
        assert_eq!(cursor_from_link("abc", "cursor"), "abc");
    }
}
