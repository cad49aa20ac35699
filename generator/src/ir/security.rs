//! Security: the schemes a client proves who it is with, and the requirements of operations.

/// How a client proves who it is, from `components/securitySchemes`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key in `components/securitySchemes`.
    pub key: String,
    /// snake_case, for credential setters.
    pub rust_name: String,
    /// The client method that sets this scheme's credential (`with_api_key_auth`).
    pub setter: String,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// How the credential is sent.
    pub kind: SecurityKind,
    /// For an OAuth2 scheme with a client credentials flow: the client method that sets a
    /// client id and secret (`with_robot_client_credentials`), and the flow's token URL.
    pub client_credentials: Option<(String, String)>,
}

/// How a scheme's credential is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// A key sent as is in a header, query parameter or cookie.
    ApiKey {
        /// Where the key is sent.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// `bearerFormat`, for documentation.
        format: Option<String>,
    },
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// Another HTTP authentication scheme, sent as `Authorization: <scheme> <credentials>`.
    OtherHttp {
        /// The scheme's name (`Digest`).
        scheme: String,
    },
    /// A bearer token obtained through OAuth2; the flows are documentation for the caller.
    OAuth2 {
        /// The flows, in spec order.
        flows: Vec<OAuthFlow>,
    },
    /// A bearer token obtained through OpenID Connect discovery.
    OpenIdConnect {
        /// `openIdConnectUrl`.
        url: String,
    },
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// In a header.
    Header,
    /// In the query string.
    Query,
    /// In a cookie.
    Cookie,
}

/// An OAuth2 flow, for documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthFlow {
    /// `implicit`, `password`, `clientCredentials` or `authorizationCode`.
    pub kind: String,
    /// `authorizationUrl`.
    pub authorization_url: Option<String>,
    /// `tokenUrl`.
    pub token_url: Option<String>,
    /// `refreshUrl`.
    pub refresh_url: Option<String>,
    /// Each scope with its description.
    pub scopes: Vec<(String, String)>,
}

/// All of these schemes together (an entry of a `security` list); an operation is allowed
/// when any one of its requirements is met. An empty requirement means "no authentication".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// Each scheme's key in `components/securitySchemes`, with the scopes required.
    pub schemes: Vec<(String, Vec<String>)>,
}

/// Security requirements in words: `none` for no requirement, alternatives joined by `or`,
/// the schemes of one by `and` (`anonymous` for an empty one), each scheme with its scopes as
/// `scopes` writes them (nothing when it needs none).
pub fn describe_requirements(
    reqs: &[SecurityRequirement],
    (or, and): (&str, &str),
    scopes: impl Fn(&[String]) -> String,
) -> String {
    if reqs.is_empty() {
        return "none".to_string();
    }
    reqs.iter()
        .map(|r| {
            if r.schemes.is_empty() {
                return "anonymous".to_string();
            }
            r.schemes
                .iter()
                .map(|(k, s)| {
                    if s.is_empty() {
                        k.clone()
                    } else {
                        format!("{k}{}", scopes(s))
                    }
                })
                .collect::<Vec<_>>()
                .join(and)
        })
        .collect::<Vec<_>>()
        .join(or)
}
