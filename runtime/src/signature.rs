//! Webhook signatures: a receiver verifies each delivery before any of its code runs, a
//! sender signs what it sends, with the same schemes. Standard Webhooks is the default; the
//! two other schemes in wide use are ready too. Every comparison is constant-time (`hmac`'s
//! `verify_slice`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a delivery's signature was refused (the receiver answers `401`, and no method runs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing header `{0}`")]
    MissingHeader(&'static str),
    #[error("malformed header `{0}`")]
    Malformed(&'static str),
    #[error("the timestamp is outside the tolerance of {0:?}")]
    Expired(Duration),
    #[error("no signature matches")]
    Mismatch,
    #[error("invalid secret: {0}")]
    InvalidSecret(String),
}

/// Why a delivery could not be read into a webhook's event (generated `parse`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Its signature does not verify.
    #[error("{0}")]
    Signature(#[from] SignatureError),
    /// Its body is not JSON, or not of the event's schema.
    #[error("the body is not the event's JSON: {0}")]
    Body(String),
    /// Its tag names no event the spec lists (`type: "..."`).
    #[error("no event {0:?}")]
    Unknown(String),
}

/// The tag of a JSON payload: the string `property` of its top-level object, the payload
/// read as JSON. For generated `parse` functions.
pub fn tagged(body: &[u8], property: &str) -> Result<(serde_json::Value, String), ParseError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ParseError::Body(e.to_string()))?;
    let tag = value
        .get(property)
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| ParseError::Body(format!("no string `{property}`")))?
        .to_string();
    Ok((value, tag))
}

/// A payload read as one event's type. For generated `parse` functions.
pub fn payload<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ParseError> {
    serde_json::from_value(value).map_err(|e| ParseError::Body(e.to_string()))
}

/// Checks a delivery's signature: its headers and its body exactly as received.
pub trait Verifier: Send + Sync + 'static {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError>;
}

/// Signs a delivery: the headers to send with `body`, for the delivery `id` at `timestamp`
/// (seconds since the Unix epoch).
pub trait Signer: Send + Sync + 'static {
    fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<(&'static str, String)>;
}

/// The time now, in seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length.
    HmacSha256::new_from_slice(key).expect("HMAC accepts any key length")
}

fn within(timestamp: i64, tolerance: Duration) -> Result<(), SignatureError> {
    let skew = (now() - timestamp).unsigned_abs();
    if skew > tolerance.as_secs() {
        return Err(SignatureError::Expired(tolerance));
    }
    Ok(())
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, SignatureError> {
    headers
        .get(name)
        .ok_or(SignatureError::MissingHeader(name))?
        .to_str()
        .map_err(|_| SignatureError::Malformed(name))
}

/// The default tolerance of a delivery's timestamp: five minutes either way.
pub const TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// [Standard Webhooks](https://www.standardwebhooks.com): HMAC-SHA256 of
/// `{webhook-id}.{webhook-timestamp}.{body}` with a base64 secret (`whsec_...`), sent as
/// `webhook-signature: v1,<base64>`; several space-separated signatures (key rotation) pass
/// when one matches; the timestamp must be within the tolerance.
#[derive(Clone)]
pub struct StandardWebhooks {
    keys: Vec<Vec<u8>>,
    tolerance: Duration,
}

impl std::fmt::Debug for StandardWebhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandardWebhooks")
            .field("keys", &self.keys.len())
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl StandardWebhooks {
    /// A scheme with one secret, `whsec_` followed by base64 (the prefix is optional).
    pub fn new(secret: &str) -> Result<Self, SignatureError> {
        Ok(StandardWebhooks {
            keys: vec![Self::key(secret)?],
            tolerance: TOLERANCE,
        })
    }

    /// Also accepts signatures made with `secret` (while keys rotate). Signing uses the
    /// first secret.
    pub fn also(mut self, secret: &str) -> Result<Self, SignatureError> {
        self.keys.push(Self::key(secret)?);
        Ok(self)
    }

    /// How far a delivery's timestamp may be from now (default five minutes).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    fn key(secret: &str) -> Result<Vec<u8>, SignatureError> {
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        let key = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| SignatureError::InvalidSecret(e.to_string()))?;
        if key.is_empty() {
            return Err(SignatureError::InvalidSecret("empty".into()));
        }
        Ok(key)
    }

    fn signed(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
        let mut m = mac(key);
        m.update(id.as_bytes());
        m.update(b".");
        m.update(timestamp.as_bytes());
        m.update(b".");
        m.update(body);
        m
    }

    /// The `webhook-signature` value for a delivery (`v1,<base64>`).
    pub fn signature(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let digest = Self::signed(&self.keys[0], id, &timestamp.to_string(), body).finalize();
        format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(digest.into_bytes())
        )
    }
}

impl Verifier for StandardWebhooks {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError> {
        let id = header(headers, "webhook-id")?;
        let timestamp = header(headers, "webhook-timestamp")?;
        let signatures = header(headers, "webhook-signature")?;
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| SignatureError::Malformed("webhook-timestamp"))?;
        within(seconds, self.tolerance)?;
        for candidate in signatures.split(' ') {
            let Some(encoded) = candidate.strip_prefix("v1,") else {
                continue;
            };
            let Ok(given) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
                continue;
            };
            for key in &self.keys {
                if Self::signed(key, id, timestamp, body)
                    .verify_slice(&given)
                    .is_ok()
                {
                    return Ok(());
                }
            }
        }
        Err(SignatureError::Mismatch)
    }
}

impl Signer for StandardWebhooks {
    fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<(&'static str, String)> {
        vec![
            ("webhook-id", id.to_string()),
            ("webhook-timestamp", timestamp.to_string()),
            ("webhook-signature", self.signature(id, timestamp, body)),
        ]
    }
}

/// A timestamped HMAC-SHA256 in one header, `t=<seconds>,v1=<hex>` over `{t}.{body}` (as
/// Stripe signs; several `v1` entries pass when one matches).
#[derive(Clone)]
pub struct TimestampedHmac {
    header: &'static str,
    secret: Vec<u8>,
    tolerance: Duration,
}

impl std::fmt::Debug for TimestampedHmac {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimestampedHmac")
            .field("header", &self.header)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl TimestampedHmac {
    /// The scheme in `header` (such as `Stripe-Signature`), keyed by the secret's bytes.
    pub fn new(header: &'static str, secret: impl Into<Vec<u8>>) -> Self {
        TimestampedHmac {
            header,
            secret: secret.into(),
            tolerance: TOLERANCE,
        }
    }

    /// How far a delivery's timestamp may be from now (default five minutes).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    fn signed(&self, timestamp: &str, body: &[u8]) -> HmacSha256 {
        let mut m = mac(&self.secret);
        m.update(timestamp.as_bytes());
        m.update(b".");
        m.update(body);
        m
    }
}

impl Verifier for TimestampedHmac {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError> {
        let value = header(headers, self.header)?;
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for part in value.split(',') {
            match part.trim().split_once('=') {
                Some(("t", t)) => timestamp = Some(t),
                Some(("v1", s)) => signatures.push(s),
                _ => {}
            }
        }
        let timestamp = timestamp.ok_or(SignatureError::Malformed(self.header))?;
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| SignatureError::Malformed(self.header))?;
        within(seconds, self.tolerance)?;
        for s in signatures {
            if let Some(given) = unhex(s) {
                if self.signed(timestamp, body).verify_slice(&given).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(SignatureError::Mismatch)
    }
}

impl Signer for TimestampedHmac {
    fn sign(&self, _id: &str, timestamp: i64, body: &[u8]) -> Vec<(&'static str, String)> {
        let t = timestamp.to_string();
        let digest = self.signed(&t, body).finalize().into_bytes();
        vec![(self.header, format!("t={t},v1={}", hex(&digest)))]
    }
}

/// HMAC-SHA256 of the body alone, `X-Hub-Signature-256: sha256=<hex>` (as GitHub signs).
#[derive(Clone)]
pub struct HubSignature {
    secret: Vec<u8>,
}

impl std::fmt::Debug for HubSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HubSignature")
    }
}

impl HubSignature {
    pub const HEADER: &'static str = "x-hub-signature-256";

    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        HubSignature {
            secret: secret.into(),
        }
    }
}

impl Verifier for HubSignature {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError> {
        let value = header(headers, Self::HEADER)?;
        let given = value
            .strip_prefix("sha256=")
            .and_then(unhex)
            .ok_or(SignatureError::Malformed(Self::HEADER))?;
        let mut m = mac(&self.secret);
        m.update(body);
        m.verify_slice(&given).map_err(|_| SignatureError::Mismatch)
    }
}

impl Signer for HubSignature {
    fn sign(&self, _id: &str, _timestamp: i64, body: &[u8]) -> Vec<(&'static str, String)> {
        let mut m = mac(&self.secret);
        m.update(body);
        vec![(
            Self::HEADER,
            format!("sha256={}", hex(&m.finalize().into_bytes())),
        )]
    }
}

/// A client [`Hook`](crate::Hook) that signs every request it sends with `signer`: a
/// webhook sender's `.with_hook(signature::signing(StandardWebhooks::new(secret)?))`. The
/// delivery's id is its `webhook-id` header (which generated senders set once per call, so
/// that retries keep it); the timestamp is each attempt's.
#[cfg(feature = "client")]
pub fn signing(signer: impl Signer) -> impl crate::Hook {
    crate::request_hook(move |_, request: &mut reqwest::Request| {
        let id = request
            .headers()
            .get("webhook-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| format!("msg_{}", crate::idempotency_key()));
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .unwrap_or_default()
            .to_vec();
        for (name, value) in signer.sign(&id, now(), &body) {
            if let Ok(value) = http::HeaderValue::from_str(&value) {
                request.headers_mut().insert(name, value);
            }
        }
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The Standard Webhooks test vectors (the specification's own library tests).
    const SECRET: &str = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const PAYLOAD: &[u8] = br#"{"test": 2432232314}"#;

    fn delivery(timestamp: i64) -> HeaderMap {
        let scheme = StandardWebhooks::new(SECRET).unwrap();
        let mut headers = HeaderMap::new();
        for (name, value) in scheme.sign(ID, timestamp, PAYLOAD) {
            headers.insert(name, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn standard_webhooks_sign_vector() {
        let scheme = StandardWebhooks::new(&format!("whsec_{SECRET}")).unwrap();
        assert_eq!(
            scheme.signature(ID, 1614265330, PAYLOAD),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn standard_webhooks_verify_vectors() {
        let scheme = StandardWebhooks::new(SECRET).unwrap();
        let prefixed = StandardWebhooks::new(&format!("whsec_{SECRET}")).unwrap();
        let valid = delivery(now());
        assert_eq!(scheme.verify(&valid, PAYLOAD), Ok(()));
        assert_eq!(prefixed.verify(&valid, PAYLOAD), Ok(()));
        assert_eq!(
            scheme.verify(&valid, br#"{"test": 2432232315}"#),
            Err(SignatureError::Mismatch)
        );
        for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            let mut h = valid.clone();
            h.remove(missing);
            assert_eq!(
                scheme.verify(&h, PAYLOAD),
                Err(SignatureError::MissingHeader(missing))
            );
        }
        let with = |name: &'static str, value: &str| {
            let mut h = valid.clone();
            h.insert(name, value.parse().unwrap());
            scheme.verify(&h, PAYLOAD)
        };
        assert_eq!(
            with("webhook-timestamp", "hello"),
            Err(SignatureError::Malformed("webhook-timestamp"))
        );
        assert_eq!(
            with("webhook-signature", "v1,dawfeoifkpqwoekfpqoekf"),
            Err(SignatureError::Mismatch)
        );
        let full = valid["webhook-signature"].to_str().unwrap().to_string();
        assert_eq!(
            with("webhook-signature", &full[..8]),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            with("webhook-signature", "v1,"),
            Err(SignatureError::Mismatch)
        );
        // Several signatures (key rotation): one valid among others passes.
        let multi = format!(
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {full} v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
        );
        assert_eq!(with("webhook-signature", &multi), Ok(()));
        // Outside the tolerance either way.
        let late = delivery(now() - 5 * 60 - 1);
        let early = delivery(now() + 5 * 60 + 1);
        assert!(matches!(
            scheme.verify(&late, PAYLOAD),
            Err(SignatureError::Expired(_))
        ));
        assert!(matches!(
            scheme.verify(&early, PAYLOAD),
            Err(SignatureError::Expired(_))
        ));
        assert!(StandardWebhooks::new("").is_err());
    }

    #[test]
    fn a_rotated_key_verifies_until_it_is_dropped() {
        let old = StandardWebhooks::new("whsec_b2xkLXNlY3JldA==").unwrap();
        let both = StandardWebhooks::new(SECRET)
            .unwrap()
            .also("whsec_b2xkLXNlY3JldA==")
            .unwrap();
        let mut h = HeaderMap::new();
        for (name, value) in old.sign(ID, now(), PAYLOAD) {
            h.insert(name, value.parse().unwrap());
        }
        assert_eq!(both.verify(&h, PAYLOAD), Ok(()));
        assert_eq!(
            StandardWebhooks::new(SECRET).unwrap().verify(&h, PAYLOAD),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn timestamped_and_hub_signatures_round_trip_and_refuse_tampering() {
        let schemes: Vec<(Box<dyn Verifier>, Box<dyn Signer>)> = vec![
            (
                Box::new(TimestampedHmac::new("stripe-signature", "whsec_x")),
                Box::new(TimestampedHmac::new("stripe-signature", "whsec_x")),
            ),
            (
                Box::new(HubSignature::new("It's a Secret to Everybody")),
                Box::new(HubSignature::new("It's a Secret to Everybody")),
            ),
        ];
        for (verifier, signer) in &schemes {
            let mut h = HeaderMap::new();
            for (name, value) in signer.sign(ID, now(), PAYLOAD) {
                h.insert(name, value.parse().unwrap());
            }
            assert_eq!(verifier.verify(&h, PAYLOAD), Ok(()));
            assert_eq!(verifier.verify(&h, b"{}"), Err(SignatureError::Mismatch));
            assert!(verifier.verify(&HeaderMap::new(), PAYLOAD).is_err());
        }
        // GitHub's documented example: secret "It's a Secret to Everybody", body "Hello, World!".
        let mut h = HeaderMap::new();
        h.insert(
            HubSignature::HEADER,
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            HubSignature::new("It's a Secret to Everybody").verify(&h, b"Hello, World!"),
            Ok(())
        );
        // An old timestamp fails.
        let old = TimestampedHmac::new("stripe-signature", "k");
        let mut h = HeaderMap::new();
        for (name, value) in old.sign(ID, now() - 3600, PAYLOAD) {
            h.insert(name, value.parse().unwrap());
        }
        assert!(matches!(
            old.verify(&h, PAYLOAD),
            Err(SignatureError::Expired(_))
        ));
    }
}
