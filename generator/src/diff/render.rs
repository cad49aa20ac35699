//! Changes as text, Markdown or JSON.

use std::fmt::Write as _;

use super::Change;

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
