//! Gas accounting for tests: a per-contract, per-method report, and a snapshot file that fails a
//! test when a recorded gas figure drifts (like `forge snapshot --check`).
//!
//! - `WEFT_GAS_REPORT=1`: every [`TestChain`](crate::TestChain) adds its [`GasReport`] to its
//!   test binary's when dropped, and the binary prints the aggregate once, to stderr, as it exits
//!   (as `forge test --gas-report` does per run): plain `cargo test` shows it, no `--nocapture`
//!   needed. nextest runs each test in a process of its own, so there it is one report per test,
//!   shown with `--no-capture`.
//! - [`Called::snapshot_gas`](crate::Called::snapshot_gas) / [`check_snapshot`]: compares a figure
//!   with the line of that name in the snapshot file, `.gas-snapshot` beside the test crate's
//!   `Cargo.toml` (or `$WEFT_GAS_SNAPSHOT_FILE`): a change fails, a new name is recorded on its
//!   first run (fails instead under `WEFT_SNAPSHOT_CHECK=1`, as `forge snapshot --check`);
//!   `WEFT_UPDATE_SNAPSHOTS=1` records every figure.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Mutex, Once};

use weft_primitives::Gas;

/// Gas of one method over its calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodGas {
    /// How many calls.
    pub calls: u64,
    /// The least gas a call used.
    pub min: Gas,
    /// The most.
    pub max: Gas,
    /// The sum over all calls.
    pub total: u128,
}

impl MethodGas {
    /// The mean, rounded down.
    pub fn mean(&self) -> Gas {
        u64::try_from(self.total / u128::from(self.calls.max(1))).unwrap_or(Gas::MAX)
    }
}

/// Gas used by transactions, by contract and method (intrinsic gas included: what a sender pays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GasReport {
    methods: BTreeMap<(String, String), MethodGas>,
}

impl GasReport {
    /// Adds one call's gas.
    pub fn record(&mut self, contract: &str, method: &str, gas: Gas) {
        self.methods
            .entry((contract.to_owned(), method.to_owned()))
            .and_modify(|m| {
                m.calls += 1;
                m.min = m.min.min(gas);
                m.max = m.max.max(gas);
                m.total += u128::from(gas);
            })
            .or_insert(MethodGas {
                calls: 1,
                min: gas,
                max: gas,
                total: u128::from(gas),
            });
    }

    /// The figures of `contract`'s `method`, if it was called.
    pub fn get(&self, contract: &str, method: &str) -> Option<MethodGas> {
        self.methods
            .get(&(contract.to_owned(), method.to_owned()))
            .copied()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.methods.is_empty()
    }

    /// Adds every call of `other`.
    pub fn merge(&mut self, other: &GasReport) {
        for (key, theirs) in &other.methods {
            self.methods
                .entry(key.clone())
                .and_modify(|m| {
                    m.calls += theirs.calls;
                    m.min = m.min.min(theirs.min);
                    m.max = m.max.max(theirs.max);
                    m.total += theirs.total;
                })
                .or_insert(*theirs);
        }
    }
}

/// The gas of every chain of this test binary dropped so far (with `WEFT_GAS_REPORT`).
static BINARY_REPORT: Mutex<GasReport> = Mutex::new(GasReport {
    methods: BTreeMap::new(),
});
static PRINT_AT_EXIT: Once = Once::new();

/// Whether `WEFT_GAS_REPORT` asks for the report.
pub(crate) fn report_wanted() -> bool {
    std::env::var_os("WEFT_GAS_REPORT").is_some_and(|v| v != "0")
}

/// Adds a dropped chain's report to the binary's, which is printed when the process exits.
pub(crate) fn add_to_binary_report(report: &GasReport) {
    if report.is_empty() {
        return;
    }
    if let Ok(mut binary) = BINARY_REPORT.lock() {
        binary.merge(report);
    }
    PRINT_AT_EXIT.call_once(|| {
        shutdown_hooks::add_shutdown_hook(print_binary_report);
    });
}

/// Runs at exit (`atexit`), outside any test's output capture. It must not panic: it writes what
/// it can and ignores a closed stderr.
extern "C" fn print_binary_report() {
    let Ok(report) = BINARY_REPORT.lock() else {
        return;
    };
    let binary = std::env::current_exe()
        .ok()
        .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    // `name-0123abcd` is cargo's name for a test binary: show the test's name.
    let name = binary.rsplit_once('-').map_or(binary.as_str(), |(name, _)| name);
    let text = format!("\ngas report of {name} (WEFT_GAS_REPORT):\n{report}");
    let _ = std::io::stderr().write_all(text.as_bytes());
}

impl fmt::Display for GasReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| contract | method | calls | min | mean | max |")?;
        writeln!(f, "|---|---|---:|---:|---:|---:|")?;
        for ((contract, method), gas) in &self.methods {
            writeln!(
                f,
                "| {contract} | {method} | {} | {} | {} | {} |",
                gas.calls,
                gas.min,
                gas.mean(),
                gas.max
            )?;
        }
        Ok(())
    }
}

/// The snapshot file: `$WEFT_GAS_SNAPSHOT_FILE`, else `.gas-snapshot` in the test crate.
pub fn snapshot_file() -> PathBuf {
    if let Some(file) = std::env::var_os("WEFT_GAS_SNAPSHOT_FILE") {
        return PathBuf::from(file);
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from);
    dir.join(".gas-snapshot")
}

/// Why a gas figure does not match the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotMismatch {
    /// The file has no line for this name.
    Missing {
        /// The name.
        name: String,
        /// The figure measured.
        gas: Gas,
    },
    /// The figure changed.
    Drift {
        /// The name.
        name: String,
        /// The recorded figure.
        recorded: Gas,
        /// The figure measured.
        gas: Gas,
    },
}

impl fmt::Display for SnapshotMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hint = "run with WEFT_UPDATE_SNAPSHOTS=1 to record it";
        match self {
            Self::Missing { name, gas } => {
                write!(f, "gas snapshot `{name}`: no recorded figure (now {gas}); {hint}")
            }
            Self::Drift { name, recorded, gas } => {
                let change = (*gas as f64 - *recorded as f64) / (*recorded).max(1) as f64 * 100.0;
                write!(
                    f,
                    "gas snapshot `{name}`: {recorded} recorded, {gas} now ({change:+.2}%); {hint}"
                )
            }
        }
    }
}

/// Checks `gas` against the snapshot line `name`, as `forge snapshot` does: a figure that changed
/// fails; a name without a line is recorded (the first run writes the file) unless
/// `WEFT_SNAPSHOT_CHECK` is set, where it fails too (for CI: `./scripts/test.sh` sets it);
/// `WEFT_UPDATE_SNAPSHOTS` records every figure (the workspace's one snapshot-update convention).
pub fn check_snapshot(name: &str, gas: Gas) -> Result<(), SnapshotMismatch> {
    let mode = if std::env::var_os("WEFT_UPDATE_SNAPSHOTS").is_some() {
        SnapshotMode::Update
    } else if std::env::var_os("WEFT_SNAPSHOT_CHECK").is_some_and(|v| v != "0") {
        SnapshotMode::Check
    } else {
        SnapshotMode::Record
    };
    check_in(&snapshot_file(), name, gas, mode)
}

/// What a snapshot check does with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SnapshotMode {
    /// Record names without a line; fail on a change.
    Record,
    /// Fail on a change or a missing line; write nothing.
    Check,
    /// Record every figure.
    Update,
}

/// [`check_snapshot`] against the file at `path`, in `mode`.
fn check_in(path: &PathBuf, name: &str, gas: Gas, mode: SnapshotMode) -> Result<(), SnapshotMismatch> {
    with_snapshot(path, mode != SnapshotMode::Check, |entries| {
        if mode == SnapshotMode::Update {
            entries.insert(name.to_owned(), gas);
            return Ok(());
        }
        match entries.get(name) {
            None if mode == SnapshotMode::Check => Err(SnapshotMismatch::Missing {
                name: name.to_owned(),
                gas,
            }),
            None => {
                entries.insert(name.to_owned(), gas);
                Ok(())
            }
            Some(&recorded) if recorded != gas => Err(SnapshotMismatch::Drift {
                name: name.to_owned(),
                recorded,
                gas,
            }),
            Some(_) => Ok(()),
        }
    })
}

/// Runs `f` on the file's entries under an exclusive lock (tests run in parallel, in threads or
/// in processes), writing them back if `write` allows and `f` changed them.
fn with_snapshot<R>(path: &PathBuf, write: bool, f: impl FnOnce(&mut BTreeMap<String, Gas>) -> R) -> R {
    let fail =
        |what: &str, e: std::io::Error| -> ! { panic!("gas snapshot {}: {what}: {e}", path.display()) };
    let mut file: File = OpenOptions::new()
        .read(true)
        .write(write)
        .create(write)
        .truncate(false)
        .open(path)
        .or_else(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                File::open("/dev/null")
            } else {
                Err(e)
            }
        })
        .unwrap_or_else(|e| fail("open", e));
    if write {
        file.lock().unwrap_or_else(|e| fail("lock", e));
    }
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap_or_else(|e| fail("read", e));
    let mut entries = parse(&text);
    let before = entries.clone();
    let result = f(&mut entries);
    if write && entries != before {
        let text: String = entries
            .iter()
            .map(|(name, gas)| format!("{name} (gas: {gas})\n"))
            .collect();
        file.set_len(0).unwrap_or_else(|e| fail("truncate", e));
        file.seek(SeekFrom::Start(0)).unwrap_or_else(|e| fail("seek", e));
        file.write_all(text.as_bytes())
            .unwrap_or_else(|e| fail("write", e));
    }
    result
}

/// `name (gas: N)` lines; anything else is ignored.
fn parse(text: &str) -> BTreeMap<String, Gas> {
    text.lines()
        .filter_map(|line| {
            let (name, rest) = line.rsplit_once(" (gas: ")?;
            Some((name.to_owned(), rest.strip_suffix(')')?.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_reports_add_calls_and_keep_the_extremes() {
        let mut a = GasReport::default();
        a.record("Token", "transfer", 100);
        a.record("Token", "transfer", 300);
        let mut b = GasReport::default();
        b.record("Token", "transfer", 50);
        b.record("Token", "approve", 70);
        a.merge(&b);
        assert_eq!(
            a.get("Token", "transfer"),
            Some(MethodGas {
                calls: 3,
                min: 50,
                max: 300,
                total: 450
            })
        );
        assert_eq!(a.get("Token", "approve").map(|m| m.calls), Some(1));
    }

    #[test]
    fn the_report_keeps_calls_min_mean_max() {
        let mut report = GasReport::default();
        for gas in [10, 30, 20] {
            report.record("Token", "transfer", gas);
        }
        report.record("Token", "approve", 7);
        let transfer = report.get("Token", "transfer").unwrap();
        assert_eq!(
            (transfer.calls, transfer.min, transfer.mean(), transfer.max),
            (3, 10, 20, 30)
        );
        let table = report.to_string();
        assert!(
            table.contains("| Token | transfer | 3 | 10 | 20 | 30 |"),
            "{table}"
        );
        assert!(table.find("approve") < table.find("transfer"), "sorted: {table}");
    }

    #[test]
    fn snapshot_lines_round_trip_and_drift_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".gas-snapshot");
        with_snapshot(&path, true, |entries| {
            entries.insert("token transfer".into(), 51_234);
            entries.insert("a".into(), 1);
        });
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "a (gas: 1)\ntoken transfer (gas: 51234)\n"
        );
        let recorded = with_snapshot(&path, false, |entries| entries.clone());
        assert_eq!(recorded.get("token transfer"), Some(&51_234));
        let drift = SnapshotMismatch::Drift {
            name: "x".into(),
            recorded: 100,
            gas: 110,
        };
        assert!(
            drift.to_string().contains("100 recorded, 110 now (+10.00%)"),
            "{drift}"
        );
    }

    #[test]
    fn a_new_name_is_recorded_a_change_fails_and_check_mode_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".gas-snapshot");
        // First run of an author's crate: no file yet; the figure is recorded, the test passes.
        assert_eq!(check_in(&path, "mint", 500, SnapshotMode::Record), Ok(()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mint (gas: 500)\n");
        assert_eq!(check_in(&path, "mint", 500, SnapshotMode::Record), Ok(()));
        assert!(matches!(
            check_in(&path, "mint", 501, SnapshotMode::Record),
            Err(SnapshotMismatch::Drift {
                recorded: 500,
                gas: 501,
                ..
            })
        ));
        // Under the check flag a missing line fails, and the file stays as it was.
        assert!(matches!(
            check_in(&path, "burn", 7, SnapshotMode::Check),
            Err(SnapshotMismatch::Missing { gas: 7, .. })
        ));
        assert_eq!(check_in(&path, "mint", 500, SnapshotMode::Check), Ok(()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mint (gas: 500)\n");
        // Update records the change.
        assert_eq!(check_in(&path, "mint", 501, SnapshotMode::Update), Ok(()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mint (gas: 501)\n");
    }
}
