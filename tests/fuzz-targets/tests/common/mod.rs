//! What the fuzz targets' tests share: where the repository is, and the inputs in a folder.

use std::path::{Path, PathBuf};

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The contents of the files in `dir` (not its `.md` notes), in name order; none when it
/// does not exist.
pub fn files(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}
