//! Streamed responses: which request-body property chooses between a JSON answer and a
//! stream (LLM APIs' `stream: true`).

use crate::ir::*;

/// The boolean property of `op`'s JSON body that asks for the stream, when `op` answers
/// either JSON or a sequential media type: a property named `stream`, else the one boolean
/// property whose name says `stream`.
pub(super) fn switch(types: &[TypeDef], op: &Operation) -> Option<StreamSwitch> {
    op.sequential_success()?;
    let (successes, _) = op.successes();
    let plain = successes
        .iter()
        .any(|(_, c)| c.is_some_and(|c| !c.kind.is_sequential()));
    let body = op.request_body.as_ref().filter(|b| b.required)?;
    let [content] = body.contents.as_slice() else {
        return None;
    };
    if !plain || content.kind != MediaKind::Json {
        return None;
    }
    let ty = crate::ir::unalias(types, &content.ty);
    let Shape::Named(id) = ty.shape else {
        return None;
    };
    let TypeKind::Struct(s) = &types.get(id.0)?.kind else {
        return None;
    };
    let boolean = |f: &&Field| matches!(crate::ir::unalias(types, &f.ty).shape, Shape::Bool);
    let named = s.fields.iter().filter(boolean).find(|f| f.name == "stream");
    let field = named.or_else(|| {
        let mut saying = s
            .fields
            .iter()
            .filter(boolean)
            .filter(|f| f.name.to_ascii_lowercase().contains("stream"));
        match (saying.next(), saying.next()) {
            (Some(f), None) => Some(f),
            _ => None,
        }
    })?;
    let holder = if field.is_tri_state() {
        FieldHolder::Nullable
    } else if field.is_option() {
        FieldHolder::Option
    } else {
        FieldHolder::Plain
    };
    Some(StreamSwitch {
        rust_name: field.rust_name.clone(),
        holder,
    })
}
