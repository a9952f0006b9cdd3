//! The report's smoke mode: every benchmark workload runs with tiny iteration counts, so that none
//! of them rots, and every engine must return Weft's bytes on every kernel.

use weft_benches::peers::{EngineKind, KERNELS};
use weft_benches::report::{self, Mode, Section};

#[test]
fn every_workload_runs_and_every_engine_agrees() {
    let findings = report::run(Mode::Smoke, &Section::ALL);
    assert!(
        findings.mismatches.is_empty(),
        "engines disagree: {:?}",
        findings.mismatches
    );
    assert_eq!(findings.execution.len(), KERNELS.len() * EngineKind::ALL.len());
    let titles: Vec<&str> = findings
        .sections
        .iter()
        .filter_map(|s| s.lines().next())
        .collect();
    assert_eq!(
        titles,
        [
            "## Execution",
            "## Compile",
            "## Call latency",
            "## Chain throughput (in-process)",
            "## Chain throughput (JSON-RPC, end to end)",
            "## Network (4 validators, end to end)",
            "## Storage",
        ]
    );
    let markdown = report::markdown(&findings, "smoke");
    assert!(markdown.contains("| fib | wasmtime (fuel) |"), "{markdown}");
}
