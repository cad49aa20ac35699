//! The OpenAPI 3.0 object model as data: what each object may hold and requires, what
//! each value must look like. The walker in `mod.rs` checks a document against it.

/// What a value in the document must look like.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    Any,
    Str,
    Bool,
    Num,
    /// A non-negative integer.
    Count,
    /// One of a fixed set of strings.
    Keyword(&'static [&'static str]),
    Obj(&'static Obj),
    Map(&'static Shape),
    List(&'static Shape),
    /// Either `{"$ref": ...}` pointing at a component of `kind`, or the shape itself.
    RefOr(&'static str, &'static Shape),
    /// A schema or a reference to one (a variant of its own to break the recursion of the
    /// constant definitions).
    Schema,
    /// `additionalProperties`: a boolean or a schema.
    BoolOrSchema,
    /// The `paths` object: keys start with `/`.
    Paths,
    /// The `responses` object: keys are status codes, ranges or `default`.
    Responses,
    /// A security scheme, whose fields depend on its `type`.
    SecurityScheme,
}

pub(super) struct Obj {
    /// What the object is called in messages ("a parameter").
    pub(super) what: &'static str,
    pub(super) fields: &'static [(&'static str, Shape)],
    pub(super) required: &'static [&'static str],
}

pub(super) static SCHEMA: Shape = Shape::Schema;
pub(super) static SCHEMA_OBJ_SHAPE: Shape = Shape::Obj(&SCHEMA_OBJ);
pub(super) static SCHEMA_OR_REF: Shape = Shape::RefOr("schemas", &SCHEMA_OBJ_SHAPE);
pub(super) const SCHEMA_TYPES: &[&str] =
    &["string", "number", "integer", "boolean", "array", "object"];

pub(super) static SCHEMA_OBJ: Obj = Obj {
    what: "a schema",
    fields: &[
        ("type", Shape::Keyword(SCHEMA_TYPES)),
        ("format", Shape::Str),
        ("title", Shape::Str),
        ("description", Shape::Str),
        ("properties", Shape::Map(&SCHEMA)),
        ("required", Shape::List(&Shape::Str)),
        ("additionalProperties", Shape::BoolOrSchema),
        ("items", SCHEMA),
        ("allOf", Shape::List(&SCHEMA)),
        ("oneOf", Shape::List(&SCHEMA)),
        ("anyOf", Shape::List(&SCHEMA)),
        ("not", SCHEMA),
        ("enum", Shape::List(&Shape::Any)),
        ("nullable", Shape::Bool),
        ("readOnly", Shape::Bool),
        ("writeOnly", Shape::Bool),
        ("deprecated", Shape::Bool),
        ("uniqueItems", Shape::Bool),
        ("exclusiveMinimum", Shape::Bool),
        ("exclusiveMaximum", Shape::Bool),
        ("minimum", Shape::Num),
        ("maximum", Shape::Num),
        ("multipleOf", Shape::Num),
        ("minLength", Shape::Count),
        ("maxLength", Shape::Count),
        ("minItems", Shape::Count),
        ("maxItems", Shape::Count),
        ("minProperties", Shape::Count),
        ("maxProperties", Shape::Count),
        ("pattern", Shape::Str),
        ("discriminator", Shape::Obj(&DISCRIMINATOR)),
        ("externalDocs", Shape::Obj(&EXTERNAL_DOCS)),
    ],
    required: &[],
};

pub(super) static DISCRIMINATOR: Obj = Obj {
    what: "a discriminator",
    fields: &[
        ("propertyName", Shape::Str),
        ("mapping", Shape::Map(&Shape::Str)),
    ],
    required: &["propertyName"],
};

pub(super) static EXTERNAL_DOCS: Obj = Obj {
    what: "external documentation",
    fields: &[("url", Shape::Str), ("description", Shape::Str)],
    required: &["url"],
};

pub(super) static ROOT: Obj = Obj {
    what: "an OpenAPI document",
    fields: &[
        ("openapi", Shape::Str),
        ("info", Shape::Obj(&INFO)),
        ("servers", Shape::List(&Shape::Obj(&SERVER))),
        ("paths", Shape::Paths),
        ("components", Shape::Obj(&COMPONENTS)),
        ("security", Shape::List(&SECURITY_REQUIREMENT)),
        ("tags", Shape::List(&Shape::Obj(&TAG))),
        ("externalDocs", Shape::Obj(&EXTERNAL_DOCS)),
    ],
    required: &["openapi", "info", "paths"],
};

pub(super) static SECURITY_REQUIREMENT: Shape = Shape::Map(&Shape::List(&Shape::Str));

pub(super) static INFO: Obj = Obj {
    what: "the info object",
    fields: &[
        ("title", Shape::Str),
        ("version", Shape::Str),
        ("description", Shape::Str),
        ("termsOfService", Shape::Str),
        ("contact", Shape::Obj(&CONTACT)),
        ("license", Shape::Obj(&LICENSE)),
    ],
    required: &["title", "version"],
};

pub(super) static CONTACT: Obj = Obj {
    what: "a contact",
    fields: &[
        ("name", Shape::Str),
        ("url", Shape::Str),
        ("email", Shape::Str),
    ],
    required: &[],
};

pub(super) static LICENSE: Obj = Obj {
    what: "a license",
    fields: &[("name", Shape::Str), ("url", Shape::Str)],
    required: &["name"],
};

pub(super) static SERVER: Obj = Obj {
    what: "a server",
    fields: &[
        ("url", Shape::Str),
        ("description", Shape::Str),
        ("variables", Shape::Map(&Shape::Obj(&SERVER_VARIABLE))),
    ],
    required: &["url"],
};

pub(super) static SERVER_VARIABLE: Obj = Obj {
    what: "a server variable",
    fields: &[
        ("enum", Shape::List(&Shape::Str)),
        ("default", Shape::Str),
        ("description", Shape::Str),
    ],
    required: &["default"],
};

pub(super) static TAG: Obj = Obj {
    what: "a tag",
    fields: &[
        ("name", Shape::Str),
        ("description", Shape::Str),
        ("externalDocs", Shape::Obj(&EXTERNAL_DOCS)),
    ],
    required: &["name"],
};

pub(super) static COMPONENTS: Obj = Obj {
    what: "the components object",
    fields: &[
        ("schemas", Shape::Map(&SCHEMA)),
        ("responses", Shape::Map(&RESPONSE)),
        ("parameters", Shape::Map(&PARAMETER)),
        (
            "examples",
            Shape::Map(&Shape::RefOr("examples", &Shape::Any)),
        ),
        ("requestBodies", Shape::Map(&REQUEST_BODY)),
        ("headers", Shape::Map(&HEADER)),
        ("securitySchemes", Shape::Map(&Shape::SecurityScheme)),
        ("links", Shape::Map(&Shape::RefOr("links", &Shape::Any))),
        (
            "callbacks",
            Shape::Map(&Shape::RefOr("callbacks", &Shape::Map(&PATH_ITEM))),
        ),
    ],
    required: &[],
};

pub(super) static PATH_ITEM: Shape = Shape::Obj(&PATH_ITEM_OBJ);

pub(super) static PATH_ITEM_OBJ: Obj = Obj {
    what: "a path item",
    fields: &[
        ("summary", Shape::Str),
        ("description", Shape::Str),
        ("get", OPERATION),
        ("put", OPERATION),
        ("post", OPERATION),
        ("delete", OPERATION),
        ("options", OPERATION),
        ("head", OPERATION),
        ("patch", OPERATION),
        ("trace", OPERATION),
        ("servers", Shape::List(&Shape::Obj(&SERVER))),
        ("parameters", Shape::List(&PARAMETER)),
    ],
    required: &[],
};

pub(super) static OPERATION: Shape = Shape::Obj(&OPERATION_OBJ);

pub(super) static OPERATION_OBJ: Obj = Obj {
    what: "an operation",
    fields: &[
        ("tags", Shape::List(&Shape::Str)),
        ("summary", Shape::Str),
        ("description", Shape::Str),
        ("externalDocs", Shape::Obj(&EXTERNAL_DOCS)),
        ("operationId", Shape::Str),
        ("parameters", Shape::List(&PARAMETER)),
        ("requestBody", REQUEST_BODY),
        ("responses", Shape::Responses),
        (
            "callbacks",
            Shape::Map(&Shape::RefOr("callbacks", &Shape::Map(&PATH_ITEM))),
        ),
        ("deprecated", Shape::Bool),
        ("security", Shape::List(&SECURITY_REQUIREMENT)),
        ("servers", Shape::List(&Shape::Obj(&SERVER))),
    ],
    required: &["responses"],
};

pub(super) static PARAMETER: Shape = Shape::RefOr("parameters", &Shape::Obj(&PARAMETER_OBJ));
pub(super) const STYLES: &[&str] = &[
    "matrix",
    "label",
    "form",
    "simple",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
];

pub(super) static PARAMETER_OBJ: Obj = Obj {
    what: "a parameter",
    fields: &[
        ("name", Shape::Str),
        ("in", Shape::Keyword(&["query", "header", "path", "cookie"])),
        ("description", Shape::Str),
        ("required", Shape::Bool),
        ("deprecated", Shape::Bool),
        ("allowEmptyValue", Shape::Bool),
        ("style", Shape::Keyword(STYLES)),
        ("explode", Shape::Bool),
        ("allowReserved", Shape::Bool),
        ("schema", SCHEMA),
        ("content", Shape::Map(&MEDIA_TYPE)),
        (
            "examples",
            Shape::Map(&Shape::RefOr("examples", &Shape::Any)),
        ),
    ],
    required: &["name", "in"],
};

pub(super) static HEADER: Shape = Shape::RefOr("headers", &Shape::Obj(&HEADER_OBJ));

pub(super) static HEADER_OBJ: Obj = Obj {
    what: "a header",
    fields: &[
        ("description", Shape::Str),
        ("required", Shape::Bool),
        ("deprecated", Shape::Bool),
        ("style", Shape::Keyword(&["simple"])),
        ("explode", Shape::Bool),
        ("schema", SCHEMA),
        ("content", Shape::Map(&MEDIA_TYPE)),
        (
            "examples",
            Shape::Map(&Shape::RefOr("examples", &Shape::Any)),
        ),
    ],
    required: &[],
};

pub(super) static REQUEST_BODY: Shape =
    Shape::RefOr("requestBodies", &Shape::Obj(&REQUEST_BODY_OBJ));

pub(super) static REQUEST_BODY_OBJ: Obj = Obj {
    what: "a request body",
    fields: &[
        ("description", Shape::Str),
        ("content", Shape::Map(&MEDIA_TYPE)),
        ("required", Shape::Bool),
    ],
    required: &["content"],
};

pub(super) static MEDIA_TYPE: Shape = Shape::Obj(&MEDIA_TYPE_OBJ);

pub(super) static MEDIA_TYPE_OBJ: Obj = Obj {
    what: "a media type",
    fields: &[
        ("schema", SCHEMA),
        (
            "examples",
            Shape::Map(&Shape::RefOr("examples", &Shape::Any)),
        ),
        ("encoding", Shape::Map(&Shape::Obj(&ENCODING))),
    ],
    required: &[],
};

pub(super) static ENCODING: Obj = Obj {
    what: "an encoding",
    fields: &[
        ("contentType", Shape::Str),
        (
            "headers",
            Shape::Map(&Shape::RefOr("headers", &Shape::Obj(&HEADER_OBJ))),
        ),
        ("style", Shape::Keyword(STYLES)),
        ("explode", Shape::Bool),
        ("allowReserved", Shape::Bool),
    ],
    required: &[],
};

pub(super) static RESPONSE: Shape = Shape::RefOr("responses", &Shape::Obj(&RESPONSE_OBJ));

pub(super) static RESPONSE_OBJ: Obj = Obj {
    what: "a response",
    fields: &[
        ("description", Shape::Str),
        ("headers", Shape::Map(&HEADER)),
        ("content", Shape::Map(&MEDIA_TYPE)),
        ("links", Shape::Map(&Shape::RefOr("links", &Shape::Any))),
    ],
    required: &["description"],
};

pub(super) static API_KEY_SCHEME: Obj = Obj {
    what: "an apiKey security scheme",
    fields: &[
        ("name", Shape::Str),
        ("in", Shape::Keyword(&["query", "header", "cookie"])),
        ("description", Shape::Str),
    ],
    required: &["name", "in"],
};

pub(super) static HTTP_SCHEME: Obj = Obj {
    what: "an http security scheme",
    fields: &[
        ("scheme", Shape::Str),
        ("bearerFormat", Shape::Str),
        ("description", Shape::Str),
    ],
    required: &["scheme"],
};

pub(super) static OAUTH2_SCHEME: Obj = Obj {
    what: "an oauth2 security scheme",
    fields: &[
        ("flows", Shape::Obj(&OAUTH2_FLOWS)),
        ("description", Shape::Str),
    ],
    required: &["flows"],
};

pub(super) static OAUTH2_FLOWS: Obj = Obj {
    what: "OAuth2 flows",
    fields: &[
        ("implicit", Shape::Obj(&OAUTH2_FLOW_AUTHORIZATION)),
        ("password", Shape::Obj(&OAUTH2_FLOW_TOKEN)),
        ("clientCredentials", Shape::Obj(&OAUTH2_FLOW_TOKEN)),
        ("authorizationCode", Shape::Obj(&OAUTH2_FLOW_BOTH)),
    ],
    required: &[],
};

pub(super) static OAUTH2_FLOW_AUTHORIZATION: Obj = Obj {
    what: "an OAuth2 flow",
    fields: &[
        ("authorizationUrl", Shape::Str),
        ("refreshUrl", Shape::Str),
        ("scopes", Shape::Map(&Shape::Str)),
    ],
    required: &["authorizationUrl", "scopes"],
};

pub(super) static OAUTH2_FLOW_TOKEN: Obj = Obj {
    what: "an OAuth2 flow",
    fields: &[
        ("tokenUrl", Shape::Str),
        ("refreshUrl", Shape::Str),
        ("scopes", Shape::Map(&Shape::Str)),
    ],
    required: &["tokenUrl", "scopes"],
};

pub(super) static OAUTH2_FLOW_BOTH: Obj = Obj {
    what: "an OAuth2 flow",
    fields: &[
        ("authorizationUrl", Shape::Str),
        ("tokenUrl", Shape::Str),
        ("refreshUrl", Shape::Str),
        ("scopes", Shape::Map(&Shape::Str)),
    ],
    required: &["authorizationUrl", "tokenUrl", "scopes"],
};

pub(super) static OPENID_SCHEME: Obj = Obj {
    what: "an openIdConnect security scheme",
    fields: &[
        ("openIdConnectUrl", Shape::Str),
        ("description", Shape::Str),
    ],
    required: &["openIdConnectUrl"],
};
