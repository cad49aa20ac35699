use crate::ir::*;

fn api(yaml: &str) -> Api {
    crate::pipeline::test_api(yaml)
}

fn spec(paths: &str, schemas: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}\n")
}

fn named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name}; have {:?}",
                api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
}

fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

#[test]
fn inline_schemas_are_named_from_where_they_stand() {
    let api = api(&spec(
        r#"  /subaccounts/summary:
    get:
      operationId: getSubaccountsSummary
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [active, suspended]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results:
                    type: object
                    properties:
                      total: {type: integer}
                  errors:
                    type: array
                    items: {type: object, properties: {message: {type: string}}}
        '404':
          description: missing
          content:
            application/json:
              schema: {type: object, properties: {reason: {type: string}}}"#,
        "    Unused: {type: string}",
    ));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Unused",
            "GetSubaccountsSummaryStatus",
            "GetSubaccountsSummaryResponse",
            "GetSubaccountsSummaryResponseResults",
            "GetSubaccountsSummaryResponseError",
            "GetSubaccountsSummaryResponse404",
        ]
    );
    let results = named(&api, "GetSubaccountsSummaryResponseResults");
    assert_eq!(results.pointer, "#/paths/~1subaccounts~1summary/get/responses/200/content/application~1json/schema/properties/results");
}

#[test]
fn a_shared_response_names_what_it_holds() {
    let yaml = r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200': {description: ok}
        '400': {$ref: '#/components/responses/Problem'}
        '503': {$ref: '#/components/responses/service_unavailable'}
  /b:
    get:
      operationId: getB
      responses:
        '200': {description: ok}
        '400': {$ref: '#/components/responses/Problem'}
components:
  responses:
    Problem:
      description: a problem
      content:
        application/json:
          schema: {type: object, properties: {message: {type: string}}}
    service_unavailable:
      description: try later
      content:
        application/json:
          schema: {type: object, properties: {retry: {type: integer}}}
"#;
    let api = api(yaml);
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    // One type each, named by the response, not by the first operation that uses it.
    assert_eq!(names, ["Problem", "ServiceUnavailable"]);
}

#[test]
fn keywords_and_collisions_get_distinct_rust_names() {
    let api = api(&spec(
        r#"  /items/{type}:
    get:
      operationId: new
      parameters:
        - {name: type, in: path, required: true, schema: {type: string}}
        - {name: type, in: query, schema: {type: string}}
        - {name: Type, in: header, schema: {type: string}}
      responses:
        '200': {description: ok}
  /other:
    get:
      operationId: new_
      responses:
        '200': {description: ok}"#,
        r#"    Self:
      type: object
      properties:
        self: {type: string}
        fooBar: {type: string}
        foo_bar: {type: string}
        "2fa": {type: boolean}
    self: {type: string}"#,
    ));
    let op = &api.operations[0];
    assert_eq!(op.rust_name, "new_2", "client method names are reserved");
    assert_eq!(api.operations[1].rust_name, "new_3");
    let names: Vec<&str> = op.parameters.iter().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(names, ["type_", "type_query", "type_header"]);
    assert_eq!(named(&api, "Self_").name, "Self_");
    assert_eq!(named(&api, "Self2").pointer, "#/components/schemas/self");
    let f: Vec<(&str, &str)> = fields(named(&api, "Self_"))
        .iter()
        .map(|f| (f.name.as_str(), f.rust_name.as_str()))
        .collect();
    assert_eq!(
        f,
        [
            ("self", "self_"),
            ("fooBar", "foo_bar"),
            ("foo_bar", "foo_bar_2"),
            ("2fa", "_2fa")
        ]
    );
}

#[test]
fn names_are_deterministic() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../specs/cakemail-partner.yaml"
    ))
    .unwrap();
    let a = crate::dump::render(&api(&text));
    for _ in 0..3 {
        assert_eq!(a, crate::dump::render(&api(&text)));
    }
}

#[test]
fn recursive_types_are_boxed_only_on_the_cycle() {
    let api = api(&spec(
        "  {}",
        r#"    Node:
      type: object
      properties:
        value: {type: string}
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        meta: {$ref: '#/components/schemas/Meta'}
    Meta:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Tree'}
    Tree:
      type: object
      properties:
        root: {$ref: '#/components/schemas/Meta'}"#,
    ));
    let boxed = |t: &str| -> Vec<(String, bool)> {
        fields(named(&api, t))
            .iter()
            .map(|f| (f.name.clone(), f.boxed))
            .collect()
    };
    assert_eq!(
        boxed("Node"),
        [
            ("value".into(), false),
            ("next".into(), true),
            ("children".into(), false),
            ("meta".into(), false)
        ]
    );
    assert_eq!(boxed("Meta"), [("owner".into(), true)]);
    assert_eq!(boxed("Tree"), [("root".into(), true)]);
}

#[test]
fn all_of_merges_objects_and_passes_annotations_through() {
    let api = api(&spec(
        "  {}",
        r#"    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int32}
        name: {type: string}
    Pet:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            tag: {type: string}
    Slug:
      allOf:
        - {type: string, maxLength: 10}
        - {nullable: true, description: a slug}"#,
    ));
    let pet: Vec<(&str, bool)> = fields(named(&api, "Pet"))
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(pet, [("id", true), ("name", false), ("tag", false)]);
    match &named(&api, "Slug").kind {
        TypeKind::Alias(t) => {
            assert_eq!(t.shape, Shape::String(StringFormat::Plain));
            assert!(t.nullable);
            assert_eq!(t.constraints.max_length, Some(10));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn discriminated_unions_keep_their_mapping() {
    let api = api(&spec(
        "  {}",
        r#"    Cat: {type: object, properties: {kind: {type: string}, lives: {type: integer}}}
    Dog: {type: object, properties: {kind: {type: string}, barks: {type: boolean}}}
    Lizard: {type: object, properties: {kind: {type: string}}}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - $ref: '#/components/schemas/Lizard'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          doggo: Dog
          dog: '#/components/schemas/Dog'
    Plain:
      anyOf:
        - {type: string}
        - {type: integer}"#,
    ));
    let TypeKind::Union(pet) = &named(&api, "Pet").kind else {
        panic!()
    };
    assert_eq!(pet.discriminator.as_deref(), Some("kind"));
    let tags: Vec<(&str, Vec<&str>)> = pet
        .variants
        .iter()
        .map(|v| {
            (
                v.rust_name.as_str(),
                v.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        tags,
        [
            ("Cat", vec!["cat"]),
            ("Dog", vec!["doggo", "dog"]),
            ("Lizard", vec!["Lizard"])
        ]
    );
    let TypeKind::Union(plain) = &named(&api, "Plain").kind else {
        panic!()
    };
    assert!(plain.any_of && plain.discriminator.is_none());
    let names: Vec<&str> = plain
        .variants
        .iter()
        .map(|v| v.rust_name.as_str())
        .collect();
    assert_eq!(names, ["String", "Integer"]);
}

#[test]
fn operations_without_id_and_merged_parameters() {
    let api = api(&spec(
        r#"  /accounts/{account_id}/items:
    parameters:
      - {name: account_id, in: path, required: true, schema: {type: integer}}
      - {name: limit, in: query, schema: {type: integer}, description: path level}
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}, description: operation level}
        - {name: tags, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200': {description: ok}
        '4XX': {description: client error}
        default: {description: other}"#,
        "    Unused: {type: string}",
    ));
    let op = &api.operations[0];
    assert_eq!(op.operation_id, None);
    assert_eq!(op.rust_name, "get_accounts_by_account_id_items");
    assert_eq!(op.type_name, "GetAccountsByAccountIdItems");
    let params: Vec<(&str, ParamLocation, bool, Option<&str>)> = op
        .parameters
        .iter()
        .map(|p| {
            (
                p.rust_name.as_str(),
                p.location,
                p.explode,
                p.description.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("account_id", ParamLocation::Path, false, None),
            ("limit", ParamLocation::Query, true, Some("operation level")),
            ("tags", ParamLocation::Query, false, None),
            ("x_trace", ParamLocation::Header, false, None),
        ]
    );
    assert_eq!(
        op.segments,
        [
            PathSegment::Literal("/accounts/".into()),
            PathSegment::Param(0),
            PathSegment::Literal("/items".into())
        ]
    );
    let statuses: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
    assert_eq!(statuses, ["200", "4XX", "default"]);
}

#[test]
fn media_types_security_and_scope() {
    let api = api(r#"openapi: 3.0.3
info: {title: t, version: '1'}
security: [{key: []}]
paths:
  /upload:
    post:
      operationId: upload
      security: [{}, {oauth: [write]}]
      parameters:
        - {name: account_id, in: query, schema: {type: integer}, x-openapi-gen-scope: account}
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        '200':
          description: ok
          headers:
            X-Request-Id: {schema: {type: string}, required: true}
          content:
            application/problem+json: {schema: {type: object}}
            text/csv: {}
            application/pdf: {}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: Authorization}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {write: writes}}}
"#);
    let op = &api.operations[0];
    assert_eq!(op.parameters[0].scope.as_deref(), Some("account"));
    let body: Vec<MediaKind> = op
        .request_body
        .as_ref()
        .unwrap()
        .contents
        .iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(body, [MediaKind::Multipart, MediaKind::Form]);
    let response: Vec<(MediaKind, &Shape)> = op.responses[0]
        .contents
        .iter()
        .map(|c| (c.kind, &c.ty.shape))
        .collect();
    assert_eq!(response[0].0, MediaKind::Json);
    assert_eq!(
        response[1],
        (MediaKind::Text, &Shape::String(StringFormat::Plain))
    );
    assert_eq!(response[2], (MediaKind::Binary, &Shape::Bytes));
    assert_eq!(op.responses[0].headers[0].rust_name, "x_request_id");
    let sec = op.security.as_ref().unwrap();
    assert!(sec[0].schemes.is_empty());
    assert_eq!(
        sec[1].schemes,
        [("oauth".to_string(), vec!["write".to_string()])]
    );
    assert_eq!(api.security[0].schemes[0].0, "key");
    assert!(
        matches!(api.security_schemes[1].kind, SecurityKind::OAuth2 { ref flows } if flows[0].token_url.as_deref() == Some("https://x/token"))
    );
}

#[test]
fn media_kinds() {
    for (media, kind) in [
        ("application/json", MediaKind::Json),
        ("application/json; charset=utf-8", MediaKind::Json),
        ("application/vnd.github.v3+json", MediaKind::Json),
        ("application/x-www-form-urlencoded", MediaKind::Form),
        ("multipart/form-data", MediaKind::Multipart),
        ("text/plain", MediaKind::Text),
        ("application/xml", MediaKind::Text),
        ("application/octet-stream", MediaKind::Binary),
        ("image/png", MediaKind::Binary),
        ("*/*", MediaKind::Binary),
    ] {
        assert_eq!(MediaKind::of(media), kind, "{media}");
    }
}

#[test]
fn one_type_per_shape() {
    let api = api(&spec(
        r#"  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [alive, gone]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                description: the same shape as Owner's address, said otherwise
                properties:
                  street: {type: string}
                  city: {type: string, maxLength: 40}
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                street: {type: string}
                city: {type: string, maxLength: 41}
      responses:
        '204': {description: ok}"#,
        r#"    Owner:
      type: object
      properties:
        address:
          type: object
          properties:
            street: {type: string}
            city: {type: string, maxLength: 40}
        status: {type: string, enum: [alive, gone]}
    Keeper:
      type: object
      properties:
        address:
          type: object
          properties:
            street: {type: string}
            city: {type: string, maxLength: 40}
        status: {type: string, enum: [alive, gone]}
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
    Forest:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Forest'}}"#,
    ));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    // Inline duplicates are gone: the first use names the shape.
    assert!(names.contains(&"OwnerAddress"), "{names:?}");
    assert!(!names.contains(&"KeeperAddress"), "{names:?}");
    assert!(!names.contains(&"ListPetsResponse"), "{names:?}");
    assert!(!names.contains(&"ListPetsStatus"), "{names:?}");
    let address = api
        .types
        .iter()
        .position(|t| t.name == "OwnerAddress")
        .unwrap();
    let list = &api.operations[0];
    assert_eq!(
        list.responses[0].contents[0].ty.shape,
        Shape::Named(TypeId(address))
    );
    // A different constraint is a different shape.
    assert!(names.contains(&"AddPetBody"), "{names:?}");
    // A duplicate component keeps its name, as an alias of the first; identical recursive
    // types are one shape too.
    let keeper = named(&api, "Keeper");
    let owner = api.types.iter().position(|t| t.name == "Owner").unwrap();
    assert_eq!(
        keeper.kind,
        TypeKind::Alias(Box::new(TypeRef::named(TypeId(owner))))
    );
    let tree = api.types.iter().position(|t| t.name == "Tree").unwrap();
    assert_eq!(
        named(&api, "Forest").kind,
        TypeKind::Alias(Box::new(TypeRef::named(TypeId(tree))))
    );
    // The field of the shared shape still refers to its own type.
    let children = &fields(named(&api, "Tree"))[0];
    assert_eq!(
        children.ty.shape,
        Shape::Array(Box::new(TypeRef::named(TypeId(tree))))
    );
}
