//! JSON pointers as URI fragments (`#/paths/~1pets/get`): how the model, diagnostics,
//! references and pointer maps name a place in a document.

/// Builds a JSON pointer fragment (`#/a/b~1c`) from segments, escaping `~` and `/`.
pub fn pointer<S: AsRef<str>>(segments: impl IntoIterator<Item = S>) -> String {
    let mut out = String::from("#");
    for segment in segments {
        out.push('/');
        push_escaped(&mut out, segment.as_ref());
    }
    out
}

/// The entry of `moves` whose pointer is the longest prefix of `pointer` on a segment
/// boundary (`#/a/b` is a prefix of `#/a/b/c`, not of `#/a/bc`), and what follows it.
pub fn longest_prefix<'m, 'p, T>(
    moves: &'m [T],
    pointer: &'p str,
    prefix: impl Fn(&T) -> &str,
) -> Option<(&'m T, &'p str)> {
    // Reversed: of equally long prefixes, the first recorded wins.
    moves
        .iter()
        .rev()
        .filter(|m| {
            let p = prefix(m);
            pointer == p
                || (pointer.starts_with(p) && pointer.as_bytes().get(p.len()) == Some(&b'/'))
        })
        .max_by_key(|m| prefix(m).len())
        .map(|m| (m, &pointer[prefix(m).len()..]))
}

/// Appends one segment to a pointer fragment.
pub fn join(base: &str, segment: impl AsRef<str>) -> String {
    let mut out = String::with_capacity(base.len() + 16);
    out.push_str(base);
    out.push('/');
    push_escaped(&mut out, segment.as_ref());
    out
}

fn push_escaped(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Splits a pointer fragment (`#/a/b~1c`) into unescaped segments.
pub fn segments(pointer: &str) -> Vec<String> {
    let body = pointer.strip_prefix('#').unwrap_or(pointer);
    if body.is_empty() {
        return Vec::new();
    }
    body.trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_unescape() {
        let p = pointer(["paths", "/subaccounts/{id}", "put", "a~b"]);
        assert_eq!(p, "#/paths/~1subaccounts~1{id}/put/a~0b");
        assert_eq!(
            segments(&p),
            vec!["paths", "/subaccounts/{id}", "put", "a~b"]
        );
        assert_eq!(join("#/paths", "/x"), "#/paths/~1x");
        assert!(segments("#").is_empty());
    }
}
