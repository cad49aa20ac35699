//! Media types, as both sides compare them.

/// A media type without its parameters, in lower case (`Application/JSON; charset=utf-8` →
/// `application/json`).
pub(crate) fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}
