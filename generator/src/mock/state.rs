//! `--stateful`: where paths follow the collection/item convention (`/things` and
//! `/things/{id}`), a resource created by POST (or PUT on its item path) is what GET on its
//! item path returns and what the collection lists; PUT and PATCH change it; DELETE removes
//! it, after which its item path is `404` (when the spec documents one). Everything else is
//! answered as without state.
//!
//! A resource is the object of the answer that carries its id (the item path's parameter,
//! else `id`): the answer itself, or an object it wraps (`{"data": {...}}`). Resources are
//! kept per collection path as requested (`/lists/3/contacts`), so nested collections are
//! apart.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::ir::*;

/// What an operation is to a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Role {
    /// `POST`/`GET` on a collection whose items are at `<path>/{param}`.
    Collection { id: String },
    /// An item of a collection: the last path segment is its id.
    Item { id: String },
    /// Anything else.
    None,
}

/// The role of each of `api`'s operations.
pub(super) fn roles(api: &Api) -> Vec<Role> {
    let item_of = |path: &str| -> Option<(String, String)> {
        let (parent, last) = path.rsplit_once('/')?;
        let name = last.strip_prefix('{')?.strip_suffix('}')?;
        Some((parent.to_string(), name.to_string()))
    };
    api.operations
        .iter()
        .map(|op| {
            let path = op.path.trim_end_matches('/');
            if let Some((parent, name)) = item_of(path) {
                let has_parent = api
                    .operations
                    .iter()
                    .any(|o| o.path.trim_end_matches('/') == parent);
                if has_parent && !parent.is_empty() {
                    return Role::Item { id: name };
                }
            }
            if matches!(op.method, Method::Get | Method::Post) {
                let child = api
                    .operations
                    .iter()
                    .find_map(|o| item_of(o.path.trim_end_matches('/')).filter(|(p, _)| p == path));
                if let Some((_, name)) = child {
                    return Role::Collection { id: name };
                }
            }
            Role::None
        })
        .collect()
}

/// The resources created so far, per collection path, in creation order.
#[derive(Default)]
pub(super) struct Store {
    collections: Mutex<HashMap<String, Vec<(String, Value)>>>,
    next: Mutex<u64>,
}

/// What a request does to the store, decided before it is answered.
pub(super) enum Effect {
    /// Answer with these resources in the list (a collection's GET).
    List(Vec<Value>),
    /// A new resource from the request's body: its id is given when the answer is made.
    Create,
    /// Answer with this resource (an item's GET, or after a PUT or PATCH).
    Show(Value),
    /// The item was removed.
    Removed,
    /// The item is not there: answer `404`.
    Missing,
}

impl Store {
    /// What `method` on `path` (an operation of `role`) does, with the request's `body`.
    pub(super) fn effect(
        &self,
        role: &Role,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Option<Effect> {
        let mut collections = self.collections.lock().unwrap_or_else(|e| e.into_inner());
        match role {
            Role::None => None,
            Role::Collection { .. } => Some(match method {
                Method::Post => Effect::Create,
                _ => Effect::List(
                    collections
                        .get(path)
                        .map(|items| items.iter().map(|(_, v)| v.clone()).collect())
                        .unwrap_or_default(),
                ),
            }),
            Role::Item { .. } => {
                let (parent, id) = path.rsplit_once('/')?;
                let id = percent_encoding::percent_decode_str(id)
                    .decode_utf8_lossy()
                    .into_owned();
                let items = collections.entry(parent.to_string()).or_default();
                let found = items.iter().position(|(k, _)| *k == id);
                Some(match (method, found) {
                    (Method::Delete, Some(i)) => {
                        items.remove(i);
                        Effect::Removed
                    }
                    (Method::Put | Method::Patch, Some(i)) => {
                        merge(&mut items[i].1, body);
                        Effect::Show(items[i].1.clone())
                    }
                    // PUT creates at a path of the client's choosing.
                    (Method::Put, None) => {
                        let mut resource = Value::Object(Map::new());
                        merge(&mut resource, body);
                        items.push((id, resource.clone()));
                        Effect::Show(resource)
                    }
                    (_, Some(i)) => Effect::Show(items[i].1.clone()),
                    (_, None) => Effect::Missing,
                })
            }
        }
    }

    /// Keeps the resource of a POST's `answer` in the collection at `path`: the answer's
    /// resource, with what the request's `body` set and a new id (also written wherever the
    /// answer names the id by the item parameter's name: `{"sub_account_id": 7, "data": ..}`).
    pub(super) fn create(
        &self,
        id_name: &str,
        path: &str,
        body: Option<&Value>,
        answer: &mut Value,
    ) {
        let keys: Vec<String> = match body {
            Some(Value::Object(b)) => b.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let n = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            *next += 1;
            *next
        };
        let Some(resource) = resource_in(answer, id_name, &keys) else {
            return;
        };
        if let Some(Value::Object(body)) = body {
            for (k, v) in body {
                resource.insert(k.clone(), v.clone());
            }
        }
        let key = key_of(resource, id_name).unwrap_or_else(|| "id".to_string());
        let id = match resource.get(&key) {
            Some(Value::String(_)) => Value::String(format!("res-{n}")),
            _ => Value::from(n),
        };
        resource.insert(key, id.clone());
        let stored = Value::Object(resource.clone());
        name_id(answer, id_name, &id);
        let id = match id {
            Value::String(s) => s,
            other => other.to_string(),
        };
        let mut collections = self.collections.lock().unwrap_or_else(|e| e.into_inner());
        collections
            .entry(path.trim_end_matches('/').to_string())
            .or_default()
            .push((id, stored));
    }
}

/// Puts `resource` in place of the resource `answer` carries (itself, or the object it
/// wraps that is most like it).
pub(super) fn show(answer: &mut Value, id_name: &str, resource: Value) {
    let Value::Object(resource) = resource else {
        return;
    };
    let keys: Vec<String> = resource.keys().cloned().collect();
    let id = key_of(&resource, id_name).and_then(|k| resource.get(&k).cloned());
    if let Some(slot) = resource_in(answer, id_name, &keys) {
        for (k, v) in resource {
            slot.insert(k, v);
        }
    }
    if let Some(id) = id {
        name_id(answer, id_name, &id);
    }
}

/// Puts `resources` in place of the list `answer` holds (the first list of objects in it).
pub(super) fn list(answer: &mut Value, resources: Vec<Value>) {
    fn first_list(v: &mut Value, depth: usize) -> Option<&mut Vec<Value>> {
        match v {
            Value::Array(items) => Some(items),
            Value::Object(map) if depth < 3 => map
                .values_mut()
                .find_map(|child| first_list(child, depth + 1)),
            _ => None,
        }
    }
    if let Some(items) = first_list(answer, 0) {
        *items = resources;
    }
}

/// The resource `answer` carries: of the answer and the objects it holds, the one with the
/// most of `keys` (then one with an id, then the innermost).
fn resource_in<'v>(
    answer: &'v mut Value,
    id_name: &str,
    keys: &[String],
) -> Option<&'v mut Map<String, Value>> {
    let Value::Object(map) = answer else {
        return None;
    };
    let score = |o: &Map<String, Value>| {
        let shared = keys.iter().filter(|k| o.contains_key(*k)).count();
        (shared, key_of(o, id_name).is_some())
    };
    let top = score(map);
    let inner = map
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), score(v.as_object()?))))
        .max_by_key(|(_, s)| *s)
        .filter(|(_, s)| *s >= top)
        .map(|(k, _)| k);
    match inner {
        Some(k) => map.get_mut(&k).and_then(Value::as_object_mut),
        None => Some(map),
    }
}

/// Writes `id` where the answer names it by the item parameter's name, at its top.
fn name_id(answer: &mut Value, id_name: &str, id: &Value) {
    if let Some(slot) = answer.get_mut(id_name) {
        *slot = id.clone();
    }
}

/// The key of the id in `resource`: the item parameter's name, else `id`.
fn key_of(resource: &Map<String, Value>, id_name: &str) -> Option<String> {
    [id_name, "id"]
        .into_iter()
        .find(|k| resource.contains_key(*k))
        .map(str::to_string)
}

/// The request's body set on `resource` (the fields of an object body).
fn merge(resource: &mut Value, body: Option<&Value>) {
    if let (Value::Object(resource), Some(Value::Object(body))) = (resource, body) {
        for (k, v) in body {
            resource.insert(k.clone(), v.clone());
        }
    }
}
