//! Rustdoc from spec descriptions. Descriptions are Markdown written for web pages: this
//! keeps them readable and keeps `cargo doc` and doctests clean (code fences become `text`,
//! indentation that would make a code block is dropped, brackets and angle brackets that
//! rustdoc would read as links or HTML are escaped, bare URLs become autolinks).

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for the given paragraphs (empty ones are skipped).
pub fn doc<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.into_iter().flatten() {
        let text = sanitize(p);
        if text.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.lines().map(|l| format!(" {l}").trim_end().to_string()));
    }
    let attrs = lines.iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// The width of the list marker that starts `line` (`- `, `*   `, `+ `, `1. `, `2) `), its
/// spaces included: where the item's text, and so its continuation lines, begin.
fn list_marker(line: &str) -> Option<usize> {
    let bullet = usize::from(line.starts_with(['-', '*', '+']));
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if bullet == 1 {
        1
    } else if digits > 0 && digits < 10 && line[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        return None;
    };
    let spaces = line[marker..].bytes().take_while(|b| *b == b' ').count();
    match spaces {
        0 => None,
        1..=4 if marker + spaces < line.len() => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    // Inside a list item: the indentation its continuation lines need (Markdown reads an
    // unindented one as a lazy continuation, which rustdoc's lints refuse).
    let mut item: Option<usize> = None;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            item = None;
        } else if !in_fence && !trimmed.starts_with("```") {
            if let Some(width) = list_marker(trimmed) {
                item = Some(width);
            } else if let Some(width) = item {
                out.push_str(&" ".repeat(width));
            }
        }
        if trimmed.starts_with("```") {
            out.push_str(if in_fence { "```" } else { "```text" });
            out.push('\n');
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&escape(trimmed));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out
}

fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        // Code spans are verbatim.
        if let Some(body) = rest.strip_prefix('`') {
            if let Some(end) = body.find('`') {
                out.push_str(&rest[..end + 2]);
                rest = &rest[end + 2..];
                continue;
            }
        }
        if let Some(url_len) = url_at(rest) {
            out.push('<');
            out.push_str(&rest[..url_len]);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of a bare URL at the start of `s`.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_become_safe_rustdoc() {
        assert_eq!(
            sanitize("See https://x.io/a. [ok]"),
            "See <https://x.io/a>. \\[ok\\]\n"
        );
        assert_eq!(sanitize("a <b> c"), "a &lt;b&gt; c\n");
        assert_eq!(
            sanitize("`https://x.io [a]` [b]"),
            "`https://x.io [a]` \\[b\\]\n"
        );
        assert_eq!(
            sanitize("```\nlet x = 1;\n```"),
            "```text\nlet x = 1;\n```\n"
        );
        assert_eq!(sanitize("    indented code"), "indented code\n");
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```\n");
        // Continuation lines of list items stay in their item.
        assert_eq!(
            sanitize("Steps:\n- one\nstill one\n10. ten\n  more\n\nafter"),
            "Steps:\n- one\n  still one\n10. ten\n    more\n\nafter\n"
        );
        assert_eq!(
            sanitize("*   wide marker\ncontinued\n**bold** is no item"),
            "*   wide marker\n    continued\n    **bold** is no item\n"
        );
    }
}
