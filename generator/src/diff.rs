//! What changed between two versions of an API, read through the model (`openapi-gen diff`).
//!
//! Both versions are resolved first, so the comparison sees what generated code sees:
//! references followed, `allOf` merged, path and operation parameters merged. Operations are
//! matched by `operationId` (else by method and path, parameter names ignored); types are
//! matched where they are used, not by name, so renaming a schema is not a change, and each
//! named type is compared once per direction.
//!
//! A change is **breaking** when code built from the old spec can fail against the new API:
//! a client sends what the new API refuses (a new required parameter or field, a removed
//! operation, a narrower type, a removed enum value, stricter credentials), or receives what
//! it cannot read (a removed or now-optional response field, a changed type, a removed
//! success status or media type). Additions a client may ignore are not breaking; enum
//! values added to a response are not breaking either, because generated enums keep unknown
//! values (`Unknown(String)`).

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

use crate::dump::type_ref as describe;
use crate::ir::*;
use crate::pointer::join;

/// One change, with where it is in each version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub breaking: bool,
    /// A stable identifier of the rule (`parameter-added-required`), for tools.
    pub rule: &'static str,
    /// What the change is about: an operation (`GET /pets/{id} (getPet)`) or a schema.
    pub subject: String,
    pub message: String,
    /// JSON pointer in the old version, when the thing exists there.
    pub old: Option<String>,
    /// JSON pointer in the new version, when the thing exists there.
    pub new: Option<String>,
}

/// Every change from `old` to `new`, breaking ones first, then in document order.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
        seen_types: HashSet::new(),
    };
    d.operations();
    let mut changes = d.changes;
    // Stable: document order within each class.
    changes.sort_by_key(|c| !c.breaking);
    let mut seen = HashSet::new();
    changes.retain(|c| seen.insert((c.rule, c.subject.clone(), c.message.clone())));
    changes
}

/// Which way a value travels: what the client sends, or what it receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    fn word(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    /// Named type pairs already compared, per direction.
    seen_types: HashSet<(TypeId, TypeId, Dir)>,
}

/// Where in each version a compared thing is.
#[derive(Clone)]
struct At {
    subject: String,
    /// Human words for the place (`parameter \`id\` (path)`, `body field \`a.b\``).
    place: String,
    old: String,
    new: String,
}

impl At {
    fn child(&self, place: String, old: String, new: String) -> At {
        At {
            subject: self.subject.clone(),
            place,
            old,
            new,
        }
    }
}

fn subject(op: &Operation) -> String {
    match &op.operation_id {
        Some(id) => format!("{} {} ({id})", op.method.as_str(), op.path),
        None => format!("{} {}", op.method.as_str(), op.path),
    }
}

/// The path with parameter names blanked: `/pets/{id}` and `/pets/{petId}` are one path.
fn path_shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum ParamKey {
    /// The n-th parameter of the path template.
    Path(usize),
    Named(ParamLocation, String),
}

/// Where `p` stands among the path template's parameters.
fn path_position(op: &Operation, p: &Parameter) -> usize {
    op.segments
        .iter()
        .filter_map(|s| match s {
            PathSegment::Param(i) => Some(&op.parameters[*i]),
            PathSegment::Literal(_) => None,
        })
        .position(|q| q.name == p.name)
        .unwrap_or(usize::MAX)
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

impl<'a> Differ<'a> {
    fn push(&mut self, breaking: bool, rule: &'static str, at: &At, message: String) {
        self.changes.push(Change {
            breaking,
            rule,
            subject: at.subject.clone(),
            message,
            old: Some(at.old.clone()),
            new: Some(at.new.clone()),
        });
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let mut matched_new = BTreeSet::new();
        for o in &old.operations {
            let by_id = o.operation_id.as_ref().and_then(|id| {
                new.operations
                    .iter()
                    .position(|n| n.operation_id.as_ref() == Some(id))
            });
            let by_path = || {
                new.operations.iter().position(|n| {
                    n.method == o.method && path_shape(&n.path) == path_shape(&o.path)
                })
            };
            match by_id.or_else(by_path) {
                Some(i) if !matched_new.contains(&i) => {
                    matched_new.insert(i);
                    self.operation(o, &new.operations[i]);
                }
                _ => self.changes.push(Change {
                    breaking: true,
                    rule: "operation-removed",
                    subject: subject(o),
                    message: "operation removed".into(),
                    old: Some(o.pointer.clone()),
                    new: None,
                }),
            }
        }
        for (i, n) in new.operations.iter().enumerate() {
            if !matched_new.contains(&i) {
                self.changes.push(Change {
                    breaking: false,
                    rule: "operation-added",
                    subject: subject(n),
                    message: "operation added".into(),
                    old: None,
                    new: Some(n.pointer.clone()),
                });
            }
        }
    }

    fn operation(&mut self, o: &'a Operation, n: &'a Operation) {
        let at = At {
            subject: subject(n),
            place: "operation".into(),
            old: o.pointer.clone(),
            new: n.pointer.clone(),
        };
        if o.method != n.method || path_shape(&o.path) != path_shape(&n.path) {
            self.push(
                true,
                "operation-moved",
                &at,
                format!(
                    "operation moved from {} {} to {} {}",
                    o.method.as_str(),
                    o.path,
                    n.method.as_str(),
                    n.path
                ),
            );
        }
        if o.rust_name != n.rust_name {
            self.push(
                true,
                "operation-renamed",
                &at,
                format!(
                    "generated method renamed from `{}` to `{}`",
                    o.rust_name, n.rust_name
                ),
            );
        }
        if !o.deprecated && n.deprecated {
            self.push(
                false,
                "operation-deprecated",
                &at,
                "operation deprecated".into(),
            );
        }
        self.parameters(o, n, &at);
        self.request_body(o, n, &at);
        self.responses(o, n, &at);
        self.security(o, n, &at);
    }

    fn parameters(&mut self, o: &Operation, n: &Operation, at: &At) {
        // Path parameters are matched by their place in the path: renaming one changes
        // nothing on the wire. Others by location and name.
        let key = |op: &Operation, p: &Parameter| match p.location {
            ParamLocation::Path => ParamKey::Path(path_position(op, p)),
            _ => ParamKey::Named(p.location, p.name.clone()),
        };
        for op in &o.parameters {
            let place = format!("parameter `{}` ({})", op.name, location(op.location));
            match n.parameters.iter().find(|np| key(n, np) == key(o, op)) {
                Some(np) => {
                    let at = at.child(place.clone(), op.pointer.clone(), np.pointer.clone());
                    if op.name != np.name {
                        self.push(
                            false,
                            "path-parameter-renamed",
                            &at,
                            format!("{place} renamed to `{}`", np.name),
                        );
                    }
                    if !op.required && np.required {
                        self.push(
                            true,
                            "parameter-became-required",
                            &at,
                            format!("{place} became required"),
                        );
                    } else if op.required && !np.required {
                        self.push(
                            false,
                            "parameter-became-optional",
                            &at,
                            format!("{place} became optional"),
                        );
                    }
                    self.type_ref(&op.ty, &np.ty, Dir::Request, &at);
                }
                None => {
                    let moved = n.parameters.iter().find(|np| {
                        np.name == op.name
                            && np.location != op.location
                            && !o.parameters.iter().any(|x| key(o, x) == key(n, np))
                    });
                    match moved {
                        Some(np) => self.push(
                            true,
                            "parameter-location-changed",
                            &at.child(place.clone(), op.pointer.clone(), np.pointer.clone()),
                            format!(
                                "{place} moved from {} to {}",
                                location(op.location),
                                location(np.location)
                            ),
                        ),
                        None => self.changes.push(Change {
                            breaking: true,
                            rule: "parameter-removed",
                            subject: at.subject.clone(),
                            message: format!("{place} removed"),
                            old: Some(op.pointer.clone()),
                            new: None,
                        }),
                    }
                }
            }
        }
        for np in &n.parameters {
            let known = o.parameters.iter().any(|op| {
                key(o, op) == key(n, np) || (op.name == np.name && op.location != np.location)
            });
            if known {
                continue;
            }
            let place = format!("parameter `{}` ({})", np.name, location(np.location));
            let (breaking, rule, what) = if np.required {
                (true, "parameter-added-required", "required")
            } else {
                (false, "parameter-added-optional", "optional")
            };
            self.changes.push(Change {
                breaking,
                rule,
                subject: at.subject.clone(),
                message: format!("{what} {place} added"),
                old: None,
                new: Some(np.pointer.clone()),
            });
        }
    }

    fn request_body(&mut self, o: &Operation, n: &Operation, at: &At) {
        let old_ptr = join(&o.pointer, "requestBody");
        let new_ptr = join(&n.pointer, "requestBody");
        let at = at.child("request body".into(), old_ptr.clone(), new_ptr.clone());
        match (&o.request_body, &n.request_body) {
            (None, None) => {}
            (None, Some(nb)) => self.changes.push(Change {
                breaking: nb.required,
                rule: if nb.required {
                    "request-body-added-required"
                } else {
                    "request-body-added-optional"
                },
                subject: at.subject.clone(),
                message: format!(
                    "{} request body added",
                    if nb.required { "required" } else { "optional" }
                ),
                old: None,
                new: Some(new_ptr),
            }),
            (Some(_), None) => self.changes.push(Change {
                breaking: true,
                rule: "request-body-removed",
                subject: at.subject.clone(),
                message: "request body removed".into(),
                old: Some(old_ptr),
                new: None,
            }),
            (Some(ob), Some(nb)) => {
                if !ob.required && nb.required {
                    self.push(
                        true,
                        "request-body-became-required",
                        &at,
                        "request body became required".into(),
                    );
                }
                self.contents(&ob.contents, &nb.contents, Dir::Request, &at);
            }
        }
    }

    /// Media types of a body: removing one the client sends (or expects) breaks it.
    fn contents(&mut self, old: &[Content], new: &[Content], dir: Dir, at: &At) {
        let essence = |m: &str| {
            m.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        };
        for oc in old {
            let old_ptr = join(&join(&at.old, "content"), &oc.media_type);
            match new
                .iter()
                .find(|nc| essence(&nc.media_type) == essence(&oc.media_type))
            {
                Some(nc) => {
                    let new_ptr = join(&join(&at.new, "content"), &nc.media_type);
                    let place = format!("{} `{}`", at.place, oc.media_type);
                    let at = at.child(place, join(&old_ptr, "schema"), join(&new_ptr, "schema"));
                    self.type_ref(&oc.ty, &nc.ty, dir, &at);
                }
                None => self.changes.push(Change {
                    breaking: true,
                    rule: match dir {
                        Dir::Request => "request-media-type-removed",
                        Dir::Response => "response-media-type-removed",
                    },
                    subject: at.subject.clone(),
                    message: format!("{}: media type `{}` removed", at.place, oc.media_type),
                    old: Some(old_ptr),
                    new: None,
                }),
            }
        }
        for nc in new {
            if !old
                .iter()
                .any(|oc| essence(&oc.media_type) == essence(&nc.media_type))
            {
                self.changes.push(Change {
                    breaking: false,
                    rule: match dir {
                        Dir::Request => "request-media-type-added",
                        Dir::Response => "response-media-type-added",
                    },
                    subject: at.subject.clone(),
                    message: format!("{}: media type `{}` added", at.place, nc.media_type),
                    old: None,
                    new: Some(join(&join(&at.new, "content"), &nc.media_type)),
                });
            }
        }
    }

    fn responses(&mut self, o: &Operation, n: &Operation, at: &At) {
        for or in &o.responses {
            let status = or.status.to_string();
            let old_ptr = join(&join(&o.pointer, "responses"), &status);
            match n.responses.iter().find(|nr| nr.status == or.status) {
                Some(nr) => {
                    let new_ptr = join(&join(&n.pointer, "responses"), &status);
                    let at = at.child(format!("response {status}"), old_ptr, new_ptr);
                    self.contents(&or.contents, &nr.contents, Dir::Response, &at);
                    self.response_headers(or, nr, &at);
                }
                None => {
                    let success = or.status.is_success();
                    self.changes.push(Change {
                        breaking: success,
                        rule: if success {
                            "success-status-removed"
                        } else {
                            "error-status-removed"
                        },
                        subject: at.subject.clone(),
                        message: format!("response {status} removed"),
                        old: Some(old_ptr),
                        new: None,
                    });
                }
            }
        }
        for nr in &n.responses {
            if !o.responses.iter().any(|or| or.status == nr.status) {
                let status = nr.status.to_string();
                self.changes.push(Change {
                    breaking: false,
                    rule: if nr.status.is_success() {
                        "success-status-added"
                    } else {
                        "error-status-added"
                    },
                    subject: at.subject.clone(),
                    message: format!("response {status} added"),
                    old: None,
                    new: Some(join(&join(&n.pointer, "responses"), &status)),
                });
            }
        }
    }

    fn response_headers(&mut self, or: &Response, nr: &Response, at: &At) {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        for oh in &or.headers {
            let place = format!("{}: header `{}`", at.place, oh.name);
            let ptr = |base: &str| join(&join(base, "headers"), &oh.name);
            match nr.headers.iter().find(|nh| same(&nh.name, &oh.name)) {
                None => self.changes.push(Change {
                    breaking: oh.required,
                    rule: "response-header-removed",
                    subject: at.subject.clone(),
                    message: format!("{place} removed"),
                    old: Some(ptr(&at.old)),
                    new: None,
                }),
                Some(nh) => {
                    let at = at.child(place.clone(), ptr(&at.old), ptr(&at.new));
                    if oh.required && !nh.required {
                        self.push(
                            true,
                            "response-header-became-optional",
                            &at,
                            format!("{place} became optional"),
                        );
                    }
                    self.type_ref(&oh.ty, &nh.ty, Dir::Response, &at);
                }
            }
        }
        for nh in &nr.headers {
            if !or.headers.iter().any(|oh| same(&nh.name, &oh.name)) {
                self.changes.push(Change {
                    breaking: false,
                    rule: "response-header-added",
                    subject: at.subject.clone(),
                    message: format!("{}: header `{}` added", at.place, nh.name),
                    old: None,
                    new: Some(join(&join(&at.new, "headers"), &nh.name)),
                });
            }
        }
    }

    fn security(&mut self, o: &'a Operation, n: &'a Operation, at: &At) {
        let effective = |api: &'a Api, op: &'a Operation| -> (&'a [SecurityRequirement], String) {
            match &op.security {
                Some(s) => (s, join(&op.pointer, "security")),
                None => (&api.security, "#/security".to_string()),
            }
        };
        let (old_reqs, old_ptr) = effective(self.old, o);
        let (new_reqs, new_ptr) = effective(self.new, n);
        let at = at.child("security".into(), old_ptr, new_ptr);
        let open = |reqs: &[SecurityRequirement]| {
            reqs.is_empty() || reqs.iter().any(|r| r.schemes.is_empty())
        };
        // A client that met an old alternative still meets a new one when some new
        // alternative asks for no more schemes and scopes than it.
        let this = &*self;
        let met_by = |old: &SecurityRequirement| {
            open(new_reqs)
                || new_reqs.iter().any(|nr| {
                    nr.schemes.iter().all(|(scheme, scopes)| {
                        old.schemes.iter().any(|(s, have)| {
                            s == scheme
                                && scopes.iter().all(|x| have.contains(x))
                                && this.same_scheme(s)
                        })
                    })
                })
        };
        if open(old_reqs) {
            if !open(new_reqs) {
                self.push(
                    true,
                    "security-added",
                    &at,
                    format!(
                        "authentication now required ({})",
                        requirement_words(new_reqs)
                    ),
                );
            }
            return;
        }
        let unmet: Vec<&SecurityRequirement> = old_reqs.iter().filter(|r| !met_by(r)).collect();
        for r in unmet {
            self.push(
                true,
                "security-changed",
                &at,
                format!(
                    "credentials {} no longer accepted; now: {}",
                    requirement_words(std::slice::from_ref(r)),
                    requirement_words(new_reqs)
                ),
            );
        }
        if open(new_reqs) {
            self.push(
                false,
                "security-removed",
                &at,
                "authentication no longer required".into(),
            );
        } else {
            for r in new_reqs {
                if !old_reqs.contains(r) {
                    self.push(
                        false,
                        "security-alternative-added",
                        &at,
                        format!(
                            "credentials {} now accepted",
                            requirement_words(std::slice::from_ref(r))
                        ),
                    );
                }
            }
        }
    }

    /// The scheme `key` means the same in both versions (same kind, same header...).
    fn same_scheme(&self, key: &str) -> bool {
        let find = |api: &Api| {
            api.security_schemes
                .iter()
                .find(|s| s.key == key)
                .map(|s| s.kind.clone())
        };
        let (o, n) = (find(self.old), find(self.new));
        match (o, n) {
            (Some(SecurityKind::OAuth2 { .. }), Some(SecurityKind::OAuth2 { .. })) => true,
            (o, n) => o == n,
        }
    }

    fn type_ref(&mut self, o: &TypeRef, n: &TypeRef, dir: Dir, at: &At) {
        let place = &at.place;
        let prefix = prefix(place);
        if dir == Dir::Request && o.nullable && !n.nullable {
            self.push(
                true,
                "null-no-longer-allowed",
                at,
                say(place, "null no longer allowed"),
            );
        }
        if dir == Dir::Response && !o.nullable && n.nullable {
            self.push(true, "may-be-null", at, say(place, "may now be null"));
        }
        self.constraints(&o.constraints, &n.constraints, dir, at);
        // A named alias and the shape it stands for are the same type on the wire.
        let (o, n) = match (&o.shape, &n.shape) {
            (Shape::Named(_), Shape::Named(_)) => (o, n),
            _ => (self.old.unalias(o), self.new.unalias(n)),
        };
        match (&o.shape, &n.shape) {
            (Shape::Named(a), Shape::Named(b)) => self.named(*a, *b, dir),
            (Shape::Array(a), Shape::Array(b)) => {
                let at = at.child(
                    say_after(place, "items"),
                    join(&at.old, "items"),
                    join(&at.new, "items"),
                );
                self.type_ref(a, b, dir, &at)
            }
            (Shape::Map(a), Shape::Map(b)) => {
                let at = at.child(
                    say_after(place, "values"),
                    join(&at.old, "additionalProperties"),
                    join(&at.new, "additionalProperties"),
                );
                self.type_ref(a, b, dir, &at)
            }
            (a, b) if a == b => {}
            (Shape::Integer(a), Shape::Integer(b)) => {
                let widened =
                    int_range(*b).0 <= int_range(*a).0 && int_range(*b).1 >= int_range(*a).1;
                // A client may send anything the wider type holds, and reads anything the
                // narrower one sends.
                let breaking = match dir {
                    Dir::Request => !widened,
                    Dir::Response => widened,
                };
                let message = format!("{prefix}integer format changed {}", self.change(o, n));
                self.push(breaking, "type-format-changed", at, message);
            }
            (Shape::Number(_), Shape::Number(_)) => {
                let message = format!("{prefix}number format changed {}", self.change(o, n));
                self.push(dir == Dir::Response, "type-format-changed", at, message);
            }
            _ => {
                let message = format!("{prefix}type changed {}", self.change(o, n));
                self.push(true, "type-changed", at, message);
            }
        }
    }

    /// `from OLD to NEW`, the two shapes as `inspect` writes them.
    fn change(&self, o: &TypeRef, n: &TypeRef) -> String {
        format!(
            "from {} to {}",
            describe(self.old, &TypeRef::new(o.shape.clone())),
            describe(self.new, &TypeRef::new(n.shape.clone()))
        )
    }

    /// Bounds: in a request, tighter ones refuse what a client sent before; in a response,
    /// looser ones let through what a client did not expect. Both are reported; only those
    /// are breaking.
    fn constraints(&mut self, o: &Constraints, n: &Constraints, dir: Dir, at: &At) {
        let prefix = prefix(&at.place);
        let mut check = |name: &str, old: Option<f64>, new: Option<f64>, upper: bool| {
            if old == new {
                return;
            }
            // Tighter: a bound appears, or moves inward.
            let tighter = match (old, new) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (upper && b < a) || (!upper && b > a),
                (None, None) => return,
            };
            let breaking = match dir {
                Dir::Request => tighter,
                Dir::Response => !tighter,
            };
            let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
            self.push(
                breaking,
                if tighter {
                    "constraint-tightened"
                } else {
                    "constraint-loosened"
                },
                at,
                format!("{prefix}{name} changed from {} to {}", show(old), show(new)),
            );
        };
        let f = |v: Option<u64>| v.map(|v| v as f64);
        check("minLength", f(o.min_length), f(n.min_length), false);
        check("maxLength", f(o.max_length), f(n.max_length), true);
        check("minimum", o.minimum, n.minimum, false);
        check("maximum", o.maximum, n.maximum, true);
        check("minItems", f(o.min_items), f(n.min_items), false);
        check("maxItems", f(o.max_items), f(n.max_items), true);
        if o.pattern != n.pattern {
            self.push(
                dir == Dir::Request && n.pattern.is_some(),
                "pattern-changed",
                at,
                format!(
                    "{prefix}pattern changed from {} to {}",
                    o.pattern
                        .as_deref()
                        .map_or("none".into(), |p| format!("{p:?}")),
                    n.pattern
                        .as_deref()
                        .map_or("none".into(), |p| format!("{p:?}"))
                ),
            );
        }
    }

    fn named(&mut self, a: TypeId, b: TypeId, dir: Dir) {
        if !self.seen_types.insert((a, b, dir)) {
            return;
        }
        let (od, nd) = (self.old.type_def(a), self.new.type_def(b));
        // Changes inside a schema are reported once, under the schema, whatever uses it.
        let at = At {
            subject: format!("schema {} ({}s)", nd.name, dir.word()),
            place: String::new(),
            old: od.pointer.clone(),
            new: nd.pointer.clone(),
        };
        self.constraints(&od.constraints, &nd.constraints, dir, &at);
        match (&od.kind, &nd.kind) {
            (TypeKind::Struct(os), TypeKind::Struct(ns)) => self.fields(os, ns, dir, &at),
            (TypeKind::Enum(oe), TypeKind::Enum(ne)) => self.enum_values(oe, ne, dir, &at),
            (TypeKind::Union(ou), TypeKind::Union(nu)) => self.variants(ou, nu, dir, &at),
            (TypeKind::Alias(x), TypeKind::Alias(y)) => self.type_ref(x, y, dir, &at),
            (TypeKind::Alias(x), _) => {
                let y = TypeRef::named(b);
                self.type_ref(x, &y, dir, &at)
            }
            (_, TypeKind::Alias(y)) => {
                let x = TypeRef::named(a);
                // Only reached when the kinds differ; compare the alias's target with `a`.
                if !matches!(y.shape, Shape::Named(_)) {
                    self.push(
                        true,
                        "type-changed",
                        &at,
                        format!(
                            "{}type changed from {} to {}",
                            prefix(&at.place),
                            describe(self.old, &x),
                            describe(self.new, y)
                        ),
                    );
                } else {
                    self.type_ref(&x, y, dir, &at);
                }
            }
            (ok, nk) => self.push(
                true,
                "type-changed",
                &at,
                format!(
                    "{}type changed from {} to {}",
                    prefix(&at.place),
                    kind_word(ok),
                    kind_word(nk)
                ),
            ),
        }
    }

    fn fields(&mut self, os: &Struct, ns: &Struct, dir: Dir, at: &At) {
        let prop = |base: &str, name: &str| join(&join(base, "properties"), name);
        for of in &os.fields {
            let place = format!("field `{}`", of.name);
            match ns.fields.iter().find(|nf| nf.name == of.name) {
                None => self.changes.push(Change {
                    breaking: true,
                    rule: "field-removed",
                    subject: at.subject.clone(),
                    message: format!("{place} removed"),
                    old: Some(prop(&at.old, &of.name)),
                    new: None,
                }),
                Some(nf) => {
                    let at = at.child(
                        place.clone(),
                        prop(&at.old, &of.name),
                        prop(&at.new, &nf.name),
                    );
                    match (of.required, nf.required, dir) {
                        (false, true, Dir::Request) => self.push(
                            true,
                            "field-became-required",
                            &at,
                            format!("{place} became required"),
                        ),
                        (true, false, Dir::Response) => self.push(
                            true,
                            "field-became-optional",
                            &at,
                            format!("{place} became optional (may be absent)"),
                        ),
                        (false, true, Dir::Response) => self.push(
                            false,
                            "field-became-required",
                            &at,
                            format!("{place} became required"),
                        ),
                        (true, false, Dir::Request) => self.push(
                            false,
                            "field-became-optional",
                            &at,
                            format!("{place} became optional"),
                        ),
                        _ => {}
                    }
                    self.type_ref(&of.ty, &nf.ty, dir, &at);
                }
            }
        }
        for nf in &ns.fields {
            if os.fields.iter().any(|of| of.name == nf.name) {
                continue;
            }
            // A required field in what the client sends: old clients do not send it.
            let breaking = dir == Dir::Request && nf.required && !nf.read_only;
            self.changes.push(Change {
                breaking,
                rule: if nf.required {
                    "field-added-required"
                } else {
                    "field-added-optional"
                },
                subject: at.subject.clone(),
                message: format!(
                    "{} field `{}` added",
                    if nf.required { "required" } else { "optional" },
                    nf.name
                ),
                old: None,
                new: Some(prop(&at.new, &nf.name)),
            });
        }
    }

    fn enum_values(&mut self, oe: &Enum, ne: &Enum, dir: Dir, at: &At) {
        let values =
            |e: &Enum| -> Vec<String> { e.variants.iter().map(|v| v.value.to_string()).collect() };
        let (ov, nv) = (values(oe), values(ne));
        let removed: Vec<&String> = ov.iter().filter(|v| !nv.contains(v)).collect();
        let added: Vec<&String> = nv.iter().filter(|v| !ov.contains(v)).collect();
        if !removed.is_empty() {
            self.push(
                dir == Dir::Request,
                "enum-value-removed",
                at,
                format!(
                    "{}enum values removed: {}",
                    prefix(&at.place),
                    list(&removed)
                ),
            );
        }
        if !added.is_empty() {
            self.push(
                false,
                "enum-value-added",
                at,
                format!(
                    "{}enum values added: {}{}",
                    prefix(&at.place),
                    list(&added),
                    if dir == Dir::Response {
                        " (old clients read them as `Unknown`)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }

    fn variants(&mut self, ou: &Union, nu: &Union, dir: Dir, at: &At) {
        // Variants are matched by their tags, else by position and shape.
        for (i, ov) in ou.variants.iter().enumerate() {
            let found = if ou.discriminator.is_some() {
                nu.variants
                    .iter()
                    .find(|nv| nv.tags.iter().any(|t| ov.tags.contains(t)))
            } else {
                nu.variants.get(i)
            };
            let place = format!("{}variant `{}`", prefix(&at.place), ov.rust_name);
            match found {
                Some(nv) => {
                    let at = at.child(place, at.old.clone(), at.new.clone());
                    self.type_ref(&ov.ty, &nv.ty, dir, &at);
                }
                None => self.push(
                    dir == Dir::Request,
                    "union-variant-removed",
                    at,
                    format!("{place} removed"),
                ),
            }
        }
        let added = if nu.discriminator.is_some() {
            nu.variants
                .iter()
                .filter(|nv| {
                    !ou.variants
                        .iter()
                        .any(|ov| ov.tags.iter().any(|t| nv.tags.contains(t)))
                })
                .collect::<Vec<_>>()
        } else {
            nu.variants.iter().skip(ou.variants.len()).collect()
        };
        for nv in added {
            // Untagged unions have no catch-all: an old client cannot read the new variant.
            let breaking = dir == Dir::Response && nu.discriminator.is_none();
            self.push(
                breaking,
                "union-variant-added",
                at,
                format!("{}variant `{}` added", prefix(&at.place), nv.rust_name),
            );
        }
    }
}

fn int_range(f: IntFormat) -> (i128, i128) {
    match f {
        IntFormat::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntFormat::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntFormat::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntFormat::I64 => (i64::MIN.into(), i64::MAX.into()),
        IntFormat::U8 => (0, u8::MAX.into()),
        IntFormat::U16 => (0, u16::MAX.into()),
        IntFormat::U32 => (0, u32::MAX.into()),
        IntFormat::U64 => (0, u64::MAX.into()),
    }
}

/// `place: `, or nothing where the place is the subject itself.
fn prefix(place: &str) -> String {
    if place.is_empty() {
        String::new()
    } else {
        format!("{place}: ")
    }
}

/// `place: message`, or the message alone.
fn say(place: &str, message: &str) -> String {
    format!("{}{message}", prefix(place))
}

/// `place items`, or `items` alone.
fn say_after(place: &str, what: &str) -> String {
    if place.is_empty() {
        what.to_string()
    } else {
        format!("{place} {what}")
    }
}

fn kind_word(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "object",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

fn list(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn requirement_words(reqs: &[SecurityRequirement]) -> String {
    describe_requirements(reqs, (" or ", " and "), |s| format!(" [{}]", s.join(", ")))
}

/// How many changes are breaking, and how many are not.
pub fn counts(changes: &[Change]) -> (usize, usize) {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    (breaking, changes.len() - breaking)
}

fn class(c: &Change) -> &'static str {
    if c.breaking {
        "breaking"
    } else {
        "non-breaking"
    }
}

/// One line per change: `breaking: SUBJECT: MESSAGE [old POINTER, new POINTER]`.
pub fn render_text(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let _ = writeln!(
            out,
            "{}: {}: {} [{}]",
            class(c),
            c.subject,
            c.message,
            pointers(c)
        );
    }
    let (b, n) = counts(changes);
    let _ = writeln!(out, "{b} breaking, {n} non-breaking");
    out
}

fn pointers(c: &Change) -> String {
    let show = |p: &Option<String>| p.clone().unwrap_or_else(|| "-".into());
    format!("old {}, new {}", show(&c.old), show(&c.new))
}

/// A Markdown report for a pull-request comment: a heading with the counts, one table row a
/// change.
pub fn render_markdown(changes: &[Change]) -> String {
    let (b, n) = counts(changes);
    let mut out = format!("### API changes: {b} breaking, {n} non-breaking\n\n");
    if changes.is_empty() {
        out.push_str("No changes for users of the generated code.\n");
        return out;
    }
    out.push_str("| | Where | Change | Old | New |\n|---|---|---|---|---|\n");
    let cell = |s: &str| s.replace('|', "\\|");
    let code = |p: &Option<String>| match p {
        Some(p) => format!("`{}`", cell(p)),
        None => "".to_string(),
    };
    for c in changes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            if c.breaking { "**breaking**" } else { "" },
            cell(&c.subject),
            cell(&c.message),
            code(&c.old),
            code(&c.new)
        );
    }
    out
}

/// The changes as JSON: `{"breaking": N, "non_breaking": N, "changes": [...]}`.
pub fn render_json(changes: &[Change]) -> String {
    let (b, n) = counts(changes);
    let list: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "breaking": c.breaking,
                "rule": c.rule,
                "subject": c.subject,
                "message": c.message,
                "old": c.old,
                "new": c.new,
            })
        })
        .collect();
    let doc = serde_json::json!({ "breaking": b, "non_breaking": n, "changes": list });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
