//! A contract author's first day, outside this repository: a contract crate of their own on
//! `weft-sdk` built for wasm32, a mistake in it reported at their argument, and a test crate of
//! their own running the README's `weft-testkit` example verbatim, then their own contract.
//!
//! The crates are written to a temporary directory and built with cargo as an author would. The
//! wasm32 builds use Debian's Rust, as `contracts/build.sh` does (which the test suite runs first,
//! installing it); their target directory is kept under the build's target directory. The test
//! crate builds in the workspace's own target directory, with a copy of the workspace's lock file
//! and profiles: that only lets it reuse the compiled dependencies, it changes no behaviour.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The build's target directory: `$CARGO_TARGET_DIR`, else the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A contract crate of its own (not in any workspace) with `lib` as its source, on the SDK by path
/// and the release profile the README's template has.
fn contract_crate(dir: &Path, name: &str, lib: &str) {
    let sdk = repo().join("sdk");
    write(
        &dir.join("Cargo.toml"),
        &format!(
            r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["cdylib"]

[dependencies]
weft-sdk = {{ path = "{}" }}

[workspace]

[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
strip = "symbols"
overflow-checks = true
"#,
            sdk.display()
        ),
    );
    std::fs::copy(repo().join("contracts/Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    write(&dir.join("src/lib.rs"), lib);
}

/// `cargo SUBCOMMAND` of the crate in `dir` for wasm32 with Debian's Rust, as `contracts/build.sh`.
fn wasm_cargo(dir: &Path, subcommand: &str, extra: &[&str]) -> Output {
    assert!(
        Path::new("/usr/bin/rustc").exists(),
        "Debian's Rust is missing: run contracts/build.sh --check (it installs it), as scripts/test.sh does"
    );
    Command::new("/usr/bin/cargo")
        .current_dir(dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTC", "/usr/bin/rustc")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", "wasm-ld")
        .env("CARGO_TARGET_DIR", target_dir().join("author-wasm"))
        .env_remove("RUSTFLAGS")
        .args([
            subcommand,
            "--release",
            "--offline",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(["-Zbuild-std=core,alloc"])
        .args(extra)
        .output()
        .unwrap()
}

/// The README's counter, copied and changed as the README says, built for wasm32.
fn build_my_counter(dir: &Path) -> Vec<u8> {
    let counter = std::fs::read_to_string(repo().join("contracts/counter/src/lib.rs")).unwrap();
    let mine = counter.replace(
        "let count = COUNT.get_or(0) + 1;",
        "let count = COUNT.get_or(0) + 2;",
    );
    assert_ne!(
        mine, counter,
        "the counter's source changed: update this test's edit"
    );
    contract_crate(dir, "my-counter", &mine);
    let built = wasm_cargo(dir, "build", &[]);
    assert!(built.status.success(), "{}", text(&built));
    let wasm = target_dir().join("author-wasm/wasm32-unknown-unknown/release/my_counter.wasm");
    std::fs::read(wasm).unwrap()
}

#[test]
fn a_type_without_a_codec_is_an_error_at_the_authors_argument() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "#![no_std]\n\
               use weft_sdk::contract;\n\
               pub struct Point { pub x: u64 }\n\
               pub struct Shapes;\n\
               #[contract]\n\
               impl Shapes {\n    \
                   pub fn add(count: u32, p: Point) -> u64 { p.x + u64::from(count) }\n\
               }\n";
    contract_crate(dir.path(), "shapes", lib);
    let checked = wasm_cargo(dir.path(), "check", &["--message-format", "short"]);
    let out = text(&checked);
    assert!(!checked.status.success(), "{out}");
    // `Point` in `p: Point` is on line 7; rustc counts columns from 1.
    let line = lib.lines().nth(6).unwrap();
    let column = line.find("Point").unwrap() + 1;
    let at_argument = format!("src/lib.rs:7:{column}: error[E0277]");
    assert!(
        out.lines()
            .any(|l| l.contains(&at_argument) && l.contains("Decode")),
        "the missing `Decode` is reported at {at_argument}:\n{out}"
    );
    assert!(
        !out.lines().any(|l| l.contains("src/lib.rs:5:")),
        "nothing is reported at #[contract]:\n{out}"
    );
}

/// The README's example test, as the README prints it.
fn readme_test() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("## Testing your contract")
        .nth(1)
        .expect("the README has a testing section");
    let block = section.split("```rust\n").nth(1).expect("with a rust block");
    block.split("```").next().unwrap().to_owned()
}

/// The test crate's manifest, as the README says: the test kit and `serde_json` as
/// dev-dependencies (plus, for reuse of the build only, the workspace's profiles).
fn test_crate(dir: &Path) {
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let profiles = &manifest[manifest.find("\n[profile.").expect("profiles")..];
    write(
        &dir.join("Cargo.toml"),
        &format!(
            r#"[package]
name = "my-tests"
version = "0.1.0"
edition = "2024"

[dev-dependencies]
weft-testkit = {{ path = "{}" }}
serde_json = "1"

[workspace]
{profiles}"#,
            repo().join("testkit").display()
        ),
    );
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    write(&dir.join("src/lib.rs"), "");
    write(&dir.join("tests/readme.rs"), &readme_test());
}

/// `cargo test` in the test crate, with `env` set.
fn cargo_test(dir: &Path, artifacts: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("WEFT_ARTIFACTS_DIR", artifacts)
        .env_remove("WEFT_UPDATE_SNAPSHOTS")
        .env_remove("WEFT_SNAPSHOT_CHECK")
        .env_remove("WEFT_GAS_REPORT")
        .envs(env.iter().copied())
        .args(["test", "--offline", "--quiet"])
        .output()
        .unwrap()
}

#[test]
fn the_readme_author_path_runs_from_crates_outside_the_repository() {
    let home = tempfile::tempdir().unwrap();
    let artifacts = home.path().join("artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let wasm = build_my_counter(&home.path().join("my-counter"));
    std::fs::write(artifacts.join("my_counter.wasm"), &wasm).unwrap();
    std::fs::copy(
        repo().join("contracts/artifacts/token.wasm"),
        artifacts.join("token.wasm"),
    )
    .unwrap();

    let tests = home.path().join("my-tests");
    test_crate(&tests);
    write(
        &tests.join("tests/my_counter.rs"),
        r#"use weft_testkit::{Failure, TestChain, artifact};

#[test]
fn my_counter_counts_by_two_and_reverts_with_the_formatted_panic() {
    let chain = TestChain::new();
    let alice = chain.account("alice");
    let counter = chain.deploy(artifact("my_counter")).from(&alice).args(5u64).send().unwrap();
    let up = counter.call("increment").from(&alice).send().unwrap();
    assert_eq!(up.decode::<u64>(), 7);
    up.snapshot_gas("my counter increment");
    let boom = counter.call("boom").from(&alice).send();
    assert!(
        matches!(&boom, Err(Failure::Revert { message, .. }) if message.ends_with("boom at 107")),
        "{boom:?}"
    );
    assert_eq!(counter.view::<u64>("get").get(), 7, "the revert kept nothing");
}

#[test]
fn another_chain_counts_too() {
    let chain = TestChain::new();
    let bob = chain.account("bob");
    let counter = chain.deploy(artifact("my_counter")).from(&bob).args(0u64).send().unwrap();
    assert_eq!(counter.call("increment").from(&bob).send().unwrap().decode::<u64>(), 2);
}
"#,
    );
    // The first run records the gas snapshots it meets.
    let first = cargo_test(&tests, &artifacts, &[]);
    assert!(first.status.success(), "{}", text(&first));
    let snapshot = std::fs::read_to_string(tests.join(".gas-snapshot")).unwrap();
    let names: Vec<&str> = snapshot
        .lines()
        .filter_map(|l| l.split(" (gas: ").next())
        .collect();
    assert_eq!(names, ["my counter increment", "token transfer"], "{snapshot}");
    // As CI runs it: the recorded figures are checked, and pass.
    let check = [("WEFT_SNAPSHOT_CHECK", "1")];
    let checked = cargo_test(&tests, &artifacts, &check);
    assert!(checked.status.success(), "{}", text(&checked));
    // The gas report: one per test binary, aggregated over its chains, without --nocapture.
    let reported = cargo_test(&tests, &artifacts, &[("WEFT_GAS_REPORT", "1")]);
    let report = String::from_utf8_lossy(&reported.stderr);
    assert!(reported.status.success(), "{}", text(&reported));
    assert_eq!(report.matches("gas report of my_counter").count(), 1, "{report}");
    assert_eq!(report.matches("gas report of readme").count(), 1, "{report}");
    // Both chains' increments, in one row.
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("| Counter | increment | 2 |")),
        "{report}"
    );
    // A changed figure fails the check with both figures.
    let wrong: String = snapshot
        .lines()
        .map(|l| match l.strip_prefix("token transfer (gas: ") {
            Some(_) => "token transfer (gas: 1)\n".to_owned(),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(tests.join(".gas-snapshot"), wrong).unwrap();
    let changed = cargo_test(&tests, &artifacts, &check);
    assert!(!changed.status.success(), "{}", text(&changed));
    assert!(text(&changed).contains("token transfer"), "{}", text(&changed));
}
