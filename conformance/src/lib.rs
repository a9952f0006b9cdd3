//! Differential conformance of Weft's pipeline. A wasm engine bug is a consensus bug for a
//! chain: two validators whose engines disagree on one call fork. So generated modules are run
//! on several engines and compared, and a divergence is classified by the majority:
//!
//! - **engines** ([`engines`]): one call observed on raw Wasmer singlepass, through Weft's
//!   pipeline (validation and instrumentation, then the singlepass engine `weft-vm` uses), on
//!   wasmi, and — only when those three do not agree — on Wasmtime: the values returned or the
//!   class of the trap, and the exported memory afterwards;
//! - **verdicts** ([`verdict`]): agreement, a resource limit (native stack depth, Weft's
//!   stack-height limit: engine-dependent, not compared), or the odd engine out of four, or no
//!   majority at all. Weft or singlepass as the odd one, or no majority, blames Weft
//!   ([`Verdict::blames_weft`]); wasmi or Wasmtime as the odd one is theirs;
//! - **modules** ([`generate`]): wasm-smith's within Weft's policy, and division-heavy modules
//!   wasm-smith seldom writes.
//!
//! [`run`] compares a range of seeds and tallies the verdicts; the test suite runs a bounded
//! range, `cargo run --release -p weft-conformance -- --modules N` a long one.

pub mod engines;
pub mod generate;
pub mod verdict;

use std::collections::BTreeMap;

pub use engines::{Ending, Engine, Observation, TrapClass, observe};
pub use generate::{Case, division, smith};
pub use verdict::{Verdict, compare};

/// Which generator a case came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Generator {
    /// wasm-smith within the policy.
    Smith,
    /// Division and remainder.
    Division,
}

/// A divergence found by [`run`]: where, and the verdict.
#[derive(Debug, Clone)]
pub struct Found {
    /// The generator.
    pub generator: Generator,
    /// The seed that makes the module.
    pub seed: u64,
    /// The export called.
    pub export: &'static str,
    /// The verdict.
    pub verdict: Verdict,
}

/// The tally of a run.
#[derive(Debug, Default)]
pub struct Tally {
    /// Modules generated and compared.
    pub modules: u64,
    /// Calls compared.
    pub calls: u64,
    /// Calls on which the first three engines agreed.
    pub agreed: u64,
    /// How the agreed calls ended: returned, or the trap class.
    pub agreed_endings: BTreeMap<String, u64>,
    /// Calls not compared: an engine's resource limit.
    pub resource_limits: u64,
    /// Modules Weft's limits refused (the generator does not know them all).
    pub over_weft_limits: u64,
    /// Calls where one engine was the odd one out, by engine.
    pub odd_one_out: BTreeMap<&'static str, u64>,
    /// Every divergence (odd one out or no majority), in order.
    pub divergences: Vec<Found>,
}

impl Tally {
    /// The tally as lines of text.
    pub fn report(&self) -> String {
        let mut lines = vec![
            format!(
                "modules compared: {} ({} more over Weft's limits)",
                self.modules, self.over_weft_limits
            ),
            format!("calls compared: {}", self.calls),
            format!("agreed: {}", self.agreed),
        ];
        lines.extend(
            self.agreed_endings
                .iter()
                .map(|(kind, n)| format!("  {kind}: {n}")),
        );
        lines.push(format!(
            "not compared (an engine's resource limit): {}",
            self.resource_limits
        ));
        lines.push(format!("divergences: {}", self.divergences.len()));
        lines.extend(
            self.odd_one_out
                .iter()
                .map(|(odd, n)| format!("  {odd} differs: {n}")),
        );
        lines.push(format!(
            "blaming Weft or singlepass: {}",
            self.blaming_weft().count()
        ));
        lines.join("\n")
    }

    /// The divergences that blame Weft's pipeline or singlepass.
    pub fn blaming_weft(&self) -> impl Iterator<Item = &Found> {
        self.divergences
            .iter()
            .filter(|found| found.verdict.blames_weft())
    }

    fn record(&mut self, generator: Generator, seed: u64, export: &'static str, verdict: Verdict) {
        self.calls += 1;
        match &verdict {
            Verdict::Agree { ending } => {
                self.agreed += 1;
                let kind = match ending {
                    Ending::Returned(_) => "returned".to_owned(),
                    Ending::Trapped(class) => format!("trapped: {class:?}"),
                    Ending::NotInstantiated => "not instantiated".to_owned(),
                };
                *self.agreed_endings.entry(kind).or_default() += 1;
            }
            // `run` counts these per module and compares none of its calls.
            Verdict::OverWeftLimits => self.calls -= 1,
            Verdict::ResourceLimit => self.resource_limits += 1,
            Verdict::Differs { odd, .. } => *self.odd_one_out.entry(odd.name()).or_default() += 1,
            Verdict::Unexplained { .. } => *self.odd_one_out.entry("no majority").or_default() += 1,
        }
        if matches!(verdict, Verdict::Differs { .. } | Verdict::Unexplained { .. }) {
            self.divergences.push(Found {
                generator,
                seed,
                export,
                verdict,
            });
        }
    }
}

/// Compares the modules of `seeds` from both generators (each call of each module).
pub fn run(seeds: std::ops::Range<u64>) -> Tally {
    let mut tally = Tally::default();
    for seed in seeds {
        let cases = [
            (Generator::Smith, smith(seed)),
            (Generator::Division, Some(division(seed))),
        ];
        for (generator, case) in cases {
            let Some(case) = case else { continue };
            let verdicts: Vec<_> = case
                .calls
                .iter()
                .map(|(export, args)| (*export, compare(&case.wasm, export, args)))
                .collect();
            if verdicts.iter().any(|(_, v)| matches!(v, Verdict::OverWeftLimits)) {
                tally.over_weft_limits += 1;
                continue;
            }
            tally.modules += 1;
            for (export, verdict) in verdicts {
                tally.record(generator, seed, export, verdict);
            }
        }
    }
    tally
}
