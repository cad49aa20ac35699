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
//! values (`Unknown(String)`). Streams and webhooks have rules of their own, and a webhook's
//! directions are reversed (see `events`).

use std::collections::{BTreeSet, HashSet};

use crate::dump::type_ref as describe;
use crate::ir::*;
use crate::pointer::join;

mod events;
mod render;
mod types;

pub use render::{render_json, render_markdown, render_text};

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
        receiver: false,
    };
    d.operations(&old.operations, &new.operations);
    d.webhooks();
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
    /// Comparing webhooks: the user's code receives their requests and sends their
    /// responses, so every direction is the other way round (see `events`).
    receiver: bool,
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
    let webhook = match (op.webhook, op.pointer.contains("/callbacks/")) {
        (false, _) => "",
        (true, false) => "webhook ",
        (true, true) => "callback ",
    };
    match &op.operation_id {
        Some(id) => format!("{webhook}{} {} ({id})", op.method.as_str(), op.path),
        None => format!("{webhook}{} {}", op.method.as_str(), op.path),
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
        ParamLocation::QueryString => "querystring",
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

    /// Pairs the operations (or the webhooks) of the two versions and compares each pair.
    fn operations(&mut self, old: &'a [Operation], new: &'a [Operation]) {
        let mut matched_new = BTreeSet::new();
        let (removed, added, what) = match self.receiver {
            false => ("operation-removed", "operation-added", "operation"),
            true => ("webhook-removed", "webhook-added", "webhook"),
        };
        for o in old {
            let by_id = o
                .operation_id
                .as_ref()
                .and_then(|id| new.iter().position(|n| n.operation_id.as_ref() == Some(id)));
            let by_path = || {
                new.iter().position(|n| {
                    n.method == o.method && path_shape(&n.path) == path_shape(&o.path)
                })
            };
            match by_id.or_else(by_path) {
                Some(i) if !matched_new.contains(&i) => {
                    matched_new.insert(i);
                    self.operation(o, &new[i]);
                }
                _ => self.changes.push(Change {
                    breaking: true,
                    rule: removed,
                    subject: subject(o),
                    message: format!("{what} removed"),
                    old: Some(o.pointer.clone()),
                    new: None,
                }),
            }
        }
        for (i, n) in new.iter().enumerate() {
            if !matched_new.contains(&i) {
                self.changes.push(Change {
                    breaking: false,
                    rule: added,
                    subject: subject(n),
                    message: format!("{what} added"),
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
        self.stream_switch(o, n, &at);
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
                    self.type_ref(&op.ty, &np.ty, self.way(Dir::Request), &at);
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
                } else if ob.required && !nb.required {
                    self.push(
                        false,
                        "request-body-became-optional",
                        &at,
                        "request body became optional".into(),
                    );
                }
                self.contents(&ob.contents, &nb.contents, self.way(Dir::Request), &at);
            }
        }
    }

    /// Media types of a body: removing one the client sends (or expects) breaks it.
    fn contents(&mut self, old: &[Content], new: &[Content], dir: Dir, at: &At) {
        let essence = media_essence;
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
                    self.stream(oc, nc, &at);
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
                    self.contents(&or.contents, &nr.contents, self.way(Dir::Response), &at);
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
                    self.type_ref(&oh.ty, &nh.ty, self.way(Dir::Response), &at);
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
