//! The committed contract artifacts (`contracts/artifacts/NAME.wasm`), found from the test's crate.

use std::path::{Path, PathBuf};

/// The path of artifact `name` (`token` or `token.wasm`): under `$WEFT_ARTIFACTS_DIR` if set,
/// else in the first `contracts/artifacts/` found walking up from the test crate's directory.
pub fn artifact_path(name: &str) -> PathBuf {
    let file = if name.ends_with(".wasm") {
        name.to_owned()
    } else {
        format!("{name}.wasm")
    };
    if let Some(dir) = std::env::var_os("WEFT_ARTIFACTS_DIR") {
        return Path::new(&dir).join(file);
    }
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    start
        .ancestors()
        .map(|dir| dir.join("contracts").join("artifacts"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| PathBuf::from("contracts/artifacts"))
        .join(file)
}

/// The bytes of artifact `name` (see [`artifact_path`]). Panics with the path tried if it is
/// missing: a test cannot go on without its contract.
pub fn artifact(name: &str) -> Vec<u8> {
    let path = artifact_path(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "contract artifact {}: {e} (build it with contracts/build.sh, or set WEFT_ARTIFACTS_DIR \
             to the directory holding your .wasm files: without it the test kit looks for \
             contracts/artifacts/ from the test crate's directory upwards)",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_are_found_from_the_crate_directory() {
        let path = artifact_path("counter");
        assert!(
            path.ends_with("contracts/artifacts/counter.wasm"),
            "{}",
            path.display()
        );
        assert_eq!(&artifact("counter.wasm")[..4], b"\0asm");
    }
}
