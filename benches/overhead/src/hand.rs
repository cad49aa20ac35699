//! The same API written by hand on axum and serde, as a careful author would: every check
//! the spec makes, written out, and refusals in the spec's error shape (`{"message": ..}`).

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use openapi_gen_runtime::chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{OWNER_PAGES, TOKEN};

/// A refusal, in the spec's error shape.
struct Refused(StatusCode, String);

#[derive(Serialize)]
struct Problem {
    message: String,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let body = Json(Problem { message: self.1 });
        if self.0 == StatusCode::UNAUTHORIZED {
            (self.0, [(header::WWW_AUTHENTICATE, "Bearer")], body).into_response()
        } else {
            (self.0, body).into_response()
        }
    }
}

fn bad(message: impl Into<String>) -> Refused {
    Refused(StatusCode::BAD_REQUEST, message.into())
}

impl From<JsonRejection> for Refused {
    fn from(e: JsonRejection) -> Self {
        Refused(e.status(), e.body_text())
    }
}

impl From<QueryRejection> for Refused {
    fn from(e: QueryRejection) -> Self {
        bad(e.body_text())
    }
}

impl From<PathRejection> for Refused {
    fn from(e: PathRejection) -> Self {
        bad(e.body_text())
    }
}

/// `value`'s length in characters is in `min..=max`.
fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), Refused> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(bad(format!("{field}: {n} characters, not {min} to {max}")));
    }
    Ok(())
}

fn digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Species {
    Cat,
    Dog,
    Bird,
}

#[derive(Deserialize)]
struct NewPet {
    name: String,
    #[allow(dead_code)]
    species: Species,
    age: i32,
    weight_kg: f64,
    #[allow(dead_code)]
    vaccinated: bool,
    owner: String,
    tags: Vec<String>,
    #[allow(dead_code)]
    color: String,
    chip: String,
    #[allow(dead_code)]
    born: NaiveDate,
}

impl NewPet {
    fn check(&self) -> Result<(), Refused> {
        length("name", &self.name, 1, 64)?;
        if !(0..=100).contains(&self.age) {
            return Err(bad("age: not 0 to 100"));
        }
        if self.weight_kg < 0.0 {
            return Err(bad("weight_kg: below 0"));
        }
        length("owner", &self.owner, 0, 128)?;
        if self.tags.len() > 10 {
            return Err(bad("tags: more than 10"));
        }
        if !(self.chip.len() == 15 && digits(self.chip.as_bytes())) {
            return Err(bad("chip: not 15 digits"));
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct Pet {
    name: String,
    species: Species,
    age: i32,
    weight_kg: f64,
    vaccinated: bool,
    owner: String,
    tags: Vec<String>,
    color: String,
    chip: String,
    born: NaiveDate,
    id: i64,
}

/// Born on a fixed day (read once).
static BORN: std::sync::LazyLock<NaiveDate> =
    std::sync::LazyLock::new(|| "2021-04-01".parse().expect("a date"));

fn pet(id: i64) -> Pet {
    Pet {
        id,
        name: "Rex".into(),
        species: Species::Dog,
        age: 3,
        weight_kg: 21.5,
        vaccinated: true,
        owner: "Ada Lovelace".into(),
        tags: vec!["good".into(), "loud".into()],
        color: "brown".into(),
        chip: "123456789012345".into(),
        born: *BORN,
    }
}

/// A pet id in the path: at least 1.
fn pet_id(path: Result<Path<i64>, PathRejection>) -> Result<i64, Refused> {
    let Path(id) = path?;
    if id < 1 {
        return Err(bad("id: below 1"));
    }
    Ok(id)
}

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<i64>,
    tag: Option<String>,
    #[allow(dead_code)]
    species: Option<Species>,
}

async fn list(query: Result<Query<ListQuery>, QueryRejection>) -> Result<Json<Vec<Pet>>, Refused> {
    let Query(q) = query?;
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(bad("limit: not 1 to 100"));
    }
    if let Some(tag) = &q.tag {
        length("tag", tag, 0, 32)?;
    }
    Ok(Json((1..=limit.min(3)).map(pet).collect()))
}

async fn create(
    body: Result<Json<NewPet>, JsonRejection>,
) -> Result<(StatusCode, Json<Pet>), Refused> {
    let Json(body) = body?;
    body.check()?;
    let mut created = pet(7);
    created.name = body.name;
    created.tags = body.tags;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn one(path: Result<Path<i64>, PathRejection>) -> Result<Json<Pet>, Refused> {
    Ok(Json(pet(pet_id(path)?)))
}

#[derive(Deserialize)]
struct NewOrder {
    customer: String,
    #[serde(default)]
    note: Option<String>,
    payment: Payment,
    lines: Vec<Line>,
}

#[derive(Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
enum Payment {
    Card {
        number: String,
        expiry: String,
        #[serde(default)]
        holder: Option<String>,
    },
    Bank {
        iban: String,
        #[serde(default)]
        reference: Option<String>,
    },
}

#[derive(Deserialize)]
struct Line {
    sku: String,
    quantity: i32,
    unit_price: f64,
    #[serde(default)]
    #[allow(dead_code)]
    gift_wrap: Option<bool>,
    #[serde(default)]
    options: Option<Vec<LineOption>>,
}

#[derive(Deserialize)]
struct LineOption {
    name: String,
    value: Option<String>,
}

impl NewOrder {
    fn check(&self) -> Result<(), Refused> {
        length("customer", &self.customer, 1, 64)?;
        if let Some(note) = &self.note {
            length("note", note, 0, 256)?;
        }
        match &self.payment {
            Payment::Card {
                number,
                expiry,
                holder,
            } => {
                if !(number.len() == 16 && digits(number.as_bytes())) {
                    return Err(bad("payment.number: not 16 digits"));
                }
                let e = expiry.as_bytes();
                if !(e.len() == 5 && digits(&e[..2]) && e[2] == b'/' && digits(&e[3..])) {
                    return Err(bad("payment.expiry: not MM/YY"));
                }
                if let Some(holder) = holder {
                    length("payment.holder", holder, 0, 64)?;
                }
            }
            Payment::Bank { iban, reference } => {
                length("payment.iban", iban, 15, 34)?;
                if let Some(reference) = reference {
                    length("payment.reference", reference, 0, 140)?;
                }
            }
        }
        if self.lines.is_empty() || self.lines.len() > 50 {
            return Err(bad("lines: not 1 to 50"));
        }
        for line in &self.lines {
            let s = line.sku.as_bytes();
            if !(s.len() == 8
                && s[..3].iter().all(u8::is_ascii_uppercase)
                && s[3] == b'-'
                && digits(&s[4..]))
            {
                return Err(bad("lines.sku: not AAA-9999"));
            }
            if !(1..=1000).contains(&line.quantity) {
                return Err(bad("lines.quantity: not 1 to 1000"));
            }
            if line.unit_price < 0.0 {
                return Err(bad("lines.unit_price: below 0"));
            }
            if let Some(options) = &line.options {
                if options.len() > 10 {
                    return Err(bad("lines.options: more than 10"));
                }
                for option in options {
                    length("lines.options.name", &option.name, 0, 32)?;
                    if let Some(value) = &option.value {
                        length("lines.options.value", value, 0, 64)?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct Order {
    id: i64,
    customer: String,
    total: f64,
    lines: i32,
    paid_by: &'static str,
}

async fn order(
    body: Result<Json<NewOrder>, JsonRejection>,
) -> Result<(StatusCode, Json<Order>), Refused> {
    let Json(body) = body?;
    body.check()?;
    Ok((
        StatusCode::CREATED,
        Json(Order {
            id: 7,
            total: body
                .lines
                .iter()
                .map(|l| f64::from(l.quantity) * l.unit_price)
                .sum(),
            lines: body.lines.len() as i32,
            customer: body.customer,
            paid_by: match body.payment {
                Payment::Card { .. } => "card",
                Payment::Bank { .. } => "bank",
            },
        }),
    ))
}

/// A caller with a valid bearer token.
struct Caller;

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Refused> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match token {
            Some(token) if token == TOKEN => Ok(Caller),
            _ => Err(Refused(
                StatusCode::UNAUTHORIZED,
                "a valid bearer token is required".into(),
            )),
        }
    }
}

async fn my_pet(_: Caller, path: Result<Path<i64>, PathRejection>) -> Result<Json<Pet>, Refused> {
    Ok(Json(pet(pet_id(path)?)))
}

#[derive(Deserialize)]
struct PageQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct Page {
    pets: Vec<Pet>,
    next_cursor: Option<String>,
}

async fn owner_pets(
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Page>, Refused> {
    let (Path(owner), Query(q)) = (path?, query?);
    length("owner", &owner, 0, 64)?;
    if let Some(cursor) = &q.cursor {
        length("cursor", cursor, 0, 32)?;
    }
    let limit = q.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(bad("limit: not 1 to 100"));
    }
    let page = crate::page_of(q.cursor.as_deref()).ok_or_else(|| bad("cursor: no such page"))?;
    let first = page * limit;
    Ok(Json(Page {
        pets: (first + 1..=first + limit).map(pet).collect(),
        next_cursor: (page + 1 < OWNER_PAGES).then(|| format!("p{}", page + 1)),
    }))
}

pub fn router() -> Router {
    Router::new()
        .route("/pets", get(list).post(create))
        .route("/pets/{id}", get(one))
        .route("/orders", post(order))
        .route("/me/pets/{id}", get(my_pet))
        .route("/owners/{owner}/pets", get(owner_pets))
}
