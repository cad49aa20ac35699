//! Bytes carried in JSON as base64 text (`format: byte`, or `contentEncoding: base64` in
//! OpenAPI 3.1).

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes that travel as a base64 string (standard alphabet, padded). Decoding also accepts
/// the URL-safe alphabet and missing padding, which APIs send too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The decoded bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// Decodes base64 text.
    pub fn decode(text: &str) -> Result<Base64, base64::DecodeError> {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let trimmed = text.trim_end_matches('=');
        STANDARD
            .decode(text)
            .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed))
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
            .map(Base64)
    }

    /// The standard base64 text of the bytes.
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }
}

impl std::ops::Deref for Base64 {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

impl From<Base64> for Vec<u8> {
    fn from(b: Base64) -> Self {
        b.0
    }
}

impl std::fmt::Display for Base64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.encode())
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Base64::decode(&text).map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_a_json_string() {
        let b = Base64(b"hello\xff".to_vec());
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, "\"aGVsbG//\"");
        assert_eq!(serde_json::from_str::<Base64>(&json).unwrap(), b);
        // URL-safe and unpadded forms are read too.
        assert_eq!(serde_json::from_str::<Base64>("\"aGVsbG__\"").unwrap(), b);
        assert_eq!(
            serde_json::from_str::<Base64>("\"aGk\"").unwrap(),
            Base64(b"hi".to_vec())
        );
        assert!(serde_json::from_str::<Base64>("\"not base64!\"").is_err());
    }
}
