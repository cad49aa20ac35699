//! Which operations of resolved APIs are generated: `--operations`/`--tags` on the command
//! line and `.operations()`/`.tags()` in a build script, decided here once for both.

use crate::ir::Api;

/// A subset of operations to keep. Empty lists keep everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Operations by `operationId`, or by Rust method name (for operations without an id,
    /// or whose id is shared).
    pub operations: Vec<String>,
    /// Operations that carry one of these tags.
    pub tags: Vec<String>,
}

impl Selection {
    /// True when nothing is filtered out.
    pub fn is_all(&self) -> bool {
        self.operations.is_empty() && self.tags.is_empty()
    }

    /// Keeps, in every API, the operations named by `operations` or tagged by one of `tags`
    /// (either is enough); types are all kept. A name or tag that matches no operation of
    /// any API is an error that names it, and nothing is changed.
    pub fn apply(&self, apis: &mut [Api]) -> Result<(), String> {
        if self.is_all() {
            return Ok(());
        }
        let named = |op: &crate::ir::Operation, id: &str| {
            op.operation_id.as_deref() == Some(id) || op.rust_name == id
        };
        let all_ops = || apis.iter().flat_map(|a| a.operations.iter());
        let unknown_ops: Vec<&str> = self
            .operations
            .iter()
            .filter(|id| !all_ops().any(|op| named(op, id)))
            .map(String::as_str)
            .collect();
        let unknown_tags: Vec<&str> = self
            .tags
            .iter()
            .filter(|t| !all_ops().any(|op| op.tags.contains(t)))
            .map(String::as_str)
            .collect();
        let mut problems = Vec::new();
        if !unknown_ops.is_empty() {
            problems.push(format!("no operation {}", quoted(&unknown_ops)));
        }
        if !unknown_tags.is_empty() {
            problems.push(format!("no operation is tagged {}", quoted(&unknown_tags)));
        }
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        for api in apis.iter_mut() {
            api.operations.retain(|op| {
                self.operations.iter().any(|id| named(op, id))
                    || self.tags.iter().any(|t| op.tags.contains(t))
            });
        }
        Ok(())
    }
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Api {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a: {get: {operationId: getA, tags: [alpha], responses: {'200': {description: ok}}}}
  /b: {get: {operationId: getB, tags: [beta], responses: {'200': {description: ok}}}}
  /c: {get: {responses: {'200': {description: ok}}}}
"#;
        crate::resolve_text("t.yaml".as_ref(), spec, "t")
            .unwrap()
            .api
    }

    fn kept(selection: Selection) -> Result<Vec<String>, String> {
        let mut apis = [api()];
        selection.apply(&mut apis)?;
        Ok(apis[0]
            .operations
            .iter()
            .map(|o| o.rust_name.clone())
            .collect())
    }

    #[test]
    fn keeps_operations_named_or_tagged() {
        let sel = |ops: &[&str], tags: &[&str]| Selection {
            operations: ops.iter().map(|s| s.to_string()).collect(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(kept(sel(&[], &[])).unwrap(), ["get_a", "get_b", "get_c"]);
        assert_eq!(kept(sel(&["getB"], &[])).unwrap(), ["get_b"]);
        assert_eq!(
            kept(sel(&["get_c"], &["alpha"])).unwrap(),
            ["get_a", "get_c"]
        );
        assert_eq!(
            kept(sel(&["nope"], &["gamma"])).unwrap_err(),
            "no operation \"nope\"; no operation is tagged \"gamma\""
        );
    }
}
