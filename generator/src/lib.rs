//! openapi-gen: typed Rust clients and validating server stubs from OpenAPI 3.0, 3.1, 3.2 and
//! Swagger 2.0 specs.
//!
//! The pipeline: [`load`](load_file) (bytes → JSON document, syntax errors with line:column)
//! → bundling of referenced files → conversion of OpenAPI 3.1 and Swagger 2.0 into 3.0
//! → structural checks (every wrong type or bad `$ref` with its JSON pointer) → typed parse
//! (`openapiv3`) → [`resolve`](resolve_text) into the API model ([`ir::Api`]) → emitters.
//! Diagnostics are data ([`diagnostics::Diagnostic`]), rendered by the caller.

#![deny(missing_docs)]

mod builder;
mod bundle;
pub mod cli;
mod convert;
pub mod diagnostics;
mod diff;
pub mod dump;
pub mod emit;
pub mod generate;
pub mod ir;
#[cfg(feature = "mock")]
pub mod mock;
mod names;
mod pointer;

mod load;
mod pipeline;
mod refs;
mod resolve;
mod select;
mod source_map;
mod structure;
mod vendor;

pub use builder::{configure, BuildError, Builder};
pub use convert::Source;
pub use pipeline::{load_file, load_file_with, resolve_text, Error, LoadOptions, Resolved};
pub use resolve::SCOPE_EXTENSION;
pub use select::Selection;
