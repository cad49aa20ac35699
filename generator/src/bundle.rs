//! Multi-file specs: references into other files (`$ref: common.yaml#/components/schemas/Id`,
//! `$ref: schemas/Pet.yaml`) are brought into the one document the rest of the front end
//! reads.
//!
//! A referenced schema, parameter, response... is copied once into the document's
//! components (definitions, for Swagger 2.0) under the name its pointer or file gives it, and
//! every reference to it points there; a referenced path item is copied in place. What a
//! copied value references is brought in the same way, relative to its own file, so chains and
//! cycles across files end in local references (and the usual cycle checks). Every copy is
//! recorded, so a diagnostic found later names the file it is in, with its own line:column
//! and pointer.
//!
//! Only files under the reference root (the spec's folder, unless the user chooses another)
//! are read, and nothing is fetched: a remote reference is an error naming its URL.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::pointer::join;

/// A file the spec references, as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// What bundling did.
#[derive(Debug, Default)]
pub struct Bundle {
    /// Every file read besides the spec itself, in the order they were first referenced.
    pub files: Vec<SourceFile>,
    /// (prefix in the bundled document, index into `files`, pointer in that file).
    moves: Vec<(String, usize, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Bundle {
    /// Where a pointer into the bundled document was written: a referenced file and the
    /// pointer in it, or `None` when it is the spec's own.
    pub fn original(&self, pointer: &str) -> Option<(&Path, String)> {
        crate::pointer::longest_prefix(&self.moves, pointer, |m| m.0.as_str())
            .map(|((_, file, to), rest)| (self.files[*file].path.as_path(), format!("{to}{rest}")))
    }

    /// Points `d` into the file it is about.
    pub fn relocate(&self, d: &mut Diagnostic) {
        if d.file.is_some() {
            return;
        }
        if let Some(p) = &d.pointer {
            if let Some((file, original)) = self.original(p) {
                d.file = Some(file.to_path_buf());
                d.pointer = Some(original);
            }
        }
    }
}

/// Brings every external reference of `doc` (read from `path`) into it. Files are read only
/// under `ref_root`.
pub fn bundle(doc: &mut Value, path: &Path, ref_root: &Path) -> Bundle {
    let swagger = doc.get("swagger").is_some();
    let mut b = Bundler {
        out: Bundle::default(),
        docs: Vec::new(),
        by_path: HashMap::new(),
        hoisted: HashMap::new(),
        taken: BTreeSet::new(),
        root_dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        root_file: path.canonicalize().ok(),
        ref_root: ref_root
            .canonicalize()
            .unwrap_or_else(|_| ref_root.to_path_buf()),
        swagger,
        additions: Vec::new(),
    };
    if !has_external(doc) {
        return b.out;
    }
    // Names already used by the spec's own components.
    for (container, _) in CONTAINERS {
        let at = b.container(container);
        if let Some(Value::Object(existing)) = crate::refs::lookup(doc, &at) {
            for name in existing.keys() {
                b.taken.insert(join(&at, name));
            }
        }
    }
    b.walk(doc, None, "#", Ctx::Root);
    // Copies are added after the walk, so the walk never sees a half-built document.
    while let Some((at, value)) = b.additions.pop() {
        insert(doc, &at, value);
    }
    b.out
}

fn has_external(v: &Value) -> bool {
    match v {
        Value::Object(obj) => obj.iter().any(|(k, child)| {
            (k == "$ref" && child.as_str().is_some_and(|r| !r.starts_with('#')))
                || has_external(child)
        }),
        Value::Array(items) => items.iter().any(has_external),
        _ => false,
    }
}

/// The component kinds a reference can stand for, and where 3.0 keeps them.
const CONTAINERS: &[(&str, &str)] = &[
    ("schemas", "#/components/schemas"),
    ("parameters", "#/components/parameters"),
    ("responses", "#/components/responses"),
    ("requestBodies", "#/components/requestBodies"),
    ("headers", "#/components/headers"),
    ("examples", "#/components/examples"),
    ("links", "#/components/links"),
    ("callbacks", "#/components/callbacks"),
    ("securitySchemes", "#/components/securitySchemes"),
];

/// What the value being walked is, so a reference in it is known to be a schema, a
/// parameter...
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Root,
    Components,
    /// A map or list whose entries are of this kind.
    Many(&'static str),
    /// One value of this kind (`schemas`, `parameters`, `paths` for a path item...).
    One(&'static str),
    /// Data (examples, extensions): never walked.
    Data,
    Other,
}

fn child_ctx(ctx: Ctx, key: &str) -> Ctx {
    use Ctx::*;
    match (ctx, key) {
        (_, k) if k.starts_with("x-") => Data,
        (Root, "paths") => Many("paths"),
        (Root, "components") => Components,
        (Root, "definitions") => Many("schemas"),
        (Root, "parameters") => Many("parameters"),
        (Root, "responses") => Many("responses"),
        (Root, "securityDefinitions") => Many("securitySchemes"),
        (Components, "schemas") => Many("schemas"),
        (Components, "pathItems") => Many("paths"),
        (Components, k) => match CONTAINERS.iter().find(|(c, _)| *c == k) {
            Some((c, _)) => Many(c),
            None => Other,
        },
        (Many(kind), _) => One(kind),
        (One("schemas"), "properties" | "patternProperties" | "$defs" | "definitions") => {
            Many("schemas")
        }
        (One("schemas"), "allOf" | "anyOf" | "oneOf" | "prefixItems") => Many("schemas"),
        (
            One("schemas"),
            "items"
            | "additionalProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedProperties"
            | "unevaluatedItems",
        ) => One("schemas"),
        (One("schemas"), _) => Data,
        // Example objects hold data, which may have keys named `$ref`.
        (One("examples"), _) => Data,
        (_, "examples") => Many("examples"),
        (_, "example" | "default" | "enum" | "const") => Data,
        (_, "schema") => One("schemas"),
        (_, "parameters") => Many("parameters"),
        (_, "responses") => Many("responses"),
        (_, "requestBody") => One("requestBodies"),
        (_, "headers") => Many("headers"),
        (_, "links") => Many("links"),
        (_, "callbacks") => Many("callbacks"),
        (One("callbacks"), _) => One("paths"),
        _ => Other,
    }
}

struct Bundler {
    out: Bundle,
    /// The parsed referenced files, by index in `out.files`.
    docs: Vec<Value>,
    by_path: HashMap<PathBuf, usize>,
    /// (file, pointer) → where its copy is in the bundled document.
    hoisted: HashMap<(usize, String), String>,
    /// Component pointers in use.
    taken: BTreeSet<String>,
    root_dir: PathBuf,
    /// The spec's own file: a reference back into it is a local reference.
    root_file: Option<PathBuf>,
    ref_root: PathBuf,
    swagger: bool,
    /// Copies to insert once the walk is over: (pointer, value).
    additions: Vec<(String, Value)>,
}

impl Bundler {
    fn container(&self, kind: &str) -> String {
        if self.swagger {
            match kind {
                "schemas" => return "#/definitions".into(),
                "parameters" => return "#/parameters".into(),
                "responses" => return "#/responses".into(),
                _ => {}
            }
        }
        CONTAINERS
            .iter()
            .find(|(c, _)| *c == kind)
            .map_or_else(|| format!("#/components/{kind}"), |(_, at)| at.to_string())
    }

    /// Walks `v`, which sits at `at` in the bundled document and came from `file` (`None`:
    /// the spec itself), rewriting references.
    fn walk(&mut self, v: &mut Value, file: Option<usize>, at: &str, ctx: Ctx) {
        if ctx == Ctx::Data {
            return;
        }
        match v {
            Value::Object(obj) => {
                if let Some(Value::String(r)) = obj.get("$ref") {
                    let r = r.clone();
                    let kind = match ctx {
                        Ctx::One(kind) => Some(kind),
                        _ => None,
                    };
                    // In a referenced file, a local reference is into that file.
                    if r.starts_with('#') && file.is_none() {
                        // The spec's own: nothing to bring.
                    } else if let Some(replacement) = self.reference(&r, file, kind, at) {
                        match replacement {
                            Replacement::Ref(local) => {
                                obj.insert("$ref".into(), Value::String(local));
                            }
                            Replacement::Inline(value) => {
                                *v = value;
                                return;
                            }
                        }
                    }
                }
                let Value::Object(obj) = v else {
                    return;
                };
                for (k, child) in obj.iter_mut() {
                    if k == "$ref" {
                        continue;
                    }
                    let child_at = join(at, k);
                    self.walk(child, file, &child_at, child_ctx(ctx, k));
                }
            }
            Value::Array(items) => {
                let item_ctx = match ctx {
                    Ctx::Many(kind) => Ctx::One(kind),
                    Ctx::Data => Ctx::Data,
                    _ => Ctx::Other,
                };
                for (i, child) in items.iter_mut().enumerate() {
                    self.walk(child, file, &join(at, i.to_string()), item_ctx);
                }
            }
            _ => {}
        }
    }

    fn error(&mut self, file: Option<usize>, at: &str, message: String) {
        let mut d = Diagnostic::error(join(at, "$ref"), message);
        if let Some(f) = file {
            d = d.in_file(self.out.files[f].path.clone());
        }
        self.out.diagnostics.push(d);
    }

    /// A reference found at `at` (in the bundled document) of `file`: what replaces it.
    fn reference(
        &mut self,
        reference: &str,
        file: Option<usize>,
        kind: Option<&'static str>,
        at: &str,
    ) -> Option<Replacement> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let fragment = format!("#{fragment}");
        // The pointer of the referencing value in its own file, for diagnostics.
        let site = match file {
            Some(_) => self.out.original(at).map_or(at.to_string(), |(_, p)| p),
            None => at.to_string(),
        };
        let target_file = if file_part.is_empty() {
            file?
        } else {
            if file_part.contains("://") {
                self.error(
                    file,
                    &site,
                    format!("remote reference {reference:?} is not fetched: openapi-gen reads local files only"),
                );
                return None;
            }
            let base = match file {
                Some(f) => self.out.files[f]
                    .path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                None => self.root_dir.clone(),
            };
            let decoded = percent_encoding::percent_decode_str(file_part).decode_utf8_lossy();
            let path = base.join(decoded.as_ref());
            if path.canonicalize().ok() == self.root_file && self.root_file.is_some() {
                // Back into the spec itself.
                return crate::refs::normalize(&fragment).map(Replacement::Ref);
            }
            self.load(&path, file, &site, reference)?
        };
        let normalized = crate::refs::normalize(&fragment)?;
        let Some(target) = crate::refs::lookup(&self.docs[target_file], &normalized).cloned()
        else {
            self.error(
                file,
                &site,
                format!(
                    "dangling reference: {reference:?} does not point at anything in {}",
                    self.out.files[target_file].path.display()
                ),
            );
            return None;
        };
        let key = (target_file, normalized.clone());
        if let Some(local) = self.hoisted.get(&key) {
            return Some(Replacement::Ref(local.clone()));
        }
        match kind {
            Some(kind) if kind != "paths" => {
                let container = self.container(kind);
                let name = self.name(&container, &normalized, target_file);
                let local = join(&container, &name);
                self.taken.insert(local.clone());
                self.hoisted.insert(key, local.clone());
                self.out
                    .moves
                    .push((local.clone(), target_file, normalized));
                let mut value = target;
                self.walk(&mut value, Some(target_file), &local, Ctx::One(kind));
                self.additions.push((local.clone(), value));
                Some(Replacement::Ref(local))
            }
            // A path item, or a value of a kind components do not hold: copied in place.
            _ => {
                self.out
                    .moves
                    .push((at.to_string(), target_file, normalized));
                let mut value = target;
                self.walk(
                    &mut value,
                    Some(target_file),
                    at,
                    kind.map_or(Ctx::Other, Ctx::One),
                );
                Some(Replacement::Inline(value))
            }
        }
    }

    /// Reads and parses a referenced file once; `None` (with a diagnostic) when it cannot be.
    fn load(
        &mut self,
        path: &Path,
        from: Option<usize>,
        site: &str,
        reference: &str,
    ) -> Option<usize> {
        let canonical = match path.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                self.error(
                    from,
                    site,
                    format!(
                        "cannot read {} (referenced as {reference:?}): {e}",
                        path.display()
                    ),
                );
                return None;
            }
        };
        if let Some(&i) = self.by_path.get(&canonical) {
            return Some(i);
        }
        if !canonical.starts_with(&self.ref_root) {
            self.error(
                from,
                site,
                format!(
                    "{reference:?} is outside {}, the folder references may read",
                    self.ref_root.display()
                ),
            );
            if let Some(d) = self.out.diagnostics.last_mut() {
                d.help = Some(
                    "allow a wider folder with --ref-root (or `.ref_root()` in build.rs)".into(),
                );
            }
            return None;
        }
        let bytes = match std::fs::read(&canonical) {
            Ok(b) => b,
            Err(e) => {
                self.error(from, site, format!("cannot read {}: {e}", path.display()));
                return None;
            }
        };
        let shown = clean(path);
        let text = match crate::load::text(bytes) {
            Ok(t) => t,
            Err(d) => {
                self.out.diagnostics.push(d.in_file(shown));
                return None;
            }
        };
        match crate::load::parse(&text) {
            Ok(doc) => {
                let i = self.out.files.len();
                self.out.files.push(SourceFile { path: shown, text });
                self.docs.push(doc);
                self.by_path.insert(canonical, i);
                Some(i)
            }
            Err(d) => {
                self.out.diagnostics.push(d.in_file(shown));
                None
            }
        }
    }

    /// A component name for a referenced value: the last segment of its pointer, else the
    /// file's stem; made unique with a number.
    fn name(&self, container: &str, pointer: &str, file: usize) -> String {
        let segments = crate::pointer::segments(pointer);
        let base = match segments.last() {
            Some(last) => last.clone(),
            None => self.out.files[file].path.file_stem().map_or_else(
                || "External".to_string(),
                |s| s.to_string_lossy().into_owned(),
            ),
        };
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&join(container, &name)) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }
}

enum Replacement {
    Ref(String),
    Inline(Value),
}

/// `path` without `.` and `..` steps, as the user would name it.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Puts `value` at pointer `at`, creating the objects on the way.
fn insert(doc: &mut Value, at: &str, value: Value) {
    let segments = crate::pointer::segments(at);
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    let mut here = doc;
    for s in parents {
        let Value::Object(obj) = here else {
            return;
        };
        here = obj
            .entry(s.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(obj) = here {
        obj.insert(last.clone(), value);
    }
}
