//! The long run: `cargo run --release -p weft-conformance -- [--modules N] [--from SEED]`.
//! Compares the modules of seeds `SEED..SEED+N/2` from each generator (N modules in all,
//! default 100,000), prints the tally and every divergence, and exits 1 if any blames Weft.
//!
//! `conformance --check FILE EXPORT [ARG]` compares one call of a module file and prints only
//! the kind of verdict ("agree", "wasmi differs", ...): a test command for `wasm-reduce`, which
//! shrinks a module while that line stays the same.

use std::time::Instant;

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.first().map(String::as_str) == Some("--check") {
        check(&all[1..]);
        return;
    }
    let mut args = all.into_iter();
    let (mut modules, mut from) = (100_000u64, 0u64);
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (flag.as_str(), value) {
            ("--modules", Some(n)) => modules = n,
            ("--from", Some(seed)) => from = seed,
            _ => {
                eprintln!("usage: conformance [--modules N] [--from SEED]");
                std::process::exit(2);
            }
        }
    }
    let started = Instant::now();
    let tally = weft_conformance::run(from..from + modules.div_ceil(2));
    println!("{}", tally.report());
    println!("wall time: {:.1} s", started.elapsed().as_secs_f64());
    for found in &tally.divergences {
        println!(
            "{:?} seed {} {}: {}",
            found.generator,
            found.seed,
            found.export,
            found.verdict.describe()
        );
    }
    if tally.blaming_weft().next().is_some() {
        std::process::exit(1);
    }
}

/// `--check FILE EXPORT [ARG]`: the kind of verdict on one call, alone on a line.
fn check(args: &[String]) {
    let (Some(file), Some(export)) = (args.first(), args.get(1)) else {
        eprintln!("usage: conformance --check FILE EXPORT [ARG]");
        std::process::exit(2);
    };
    let call_args: Vec<i64> = args.get(2).and_then(|a| a.parse().ok()).into_iter().collect();
    let Ok(wasm) = std::fs::read(file) else {
        println!("unreadable");
        return;
    };
    let kind = match weft_conformance::compare(&wasm, export, &call_args) {
        weft_conformance::Verdict::Agree { .. } => "agree".to_owned(),
        weft_conformance::Verdict::ResourceLimit => "resource limit".to_owned(),
        weft_conformance::Verdict::OverWeftLimits => "over limits".to_owned(),
        weft_conformance::Verdict::Differs { odd, .. } => format!("{} differs", odd.name()),
        weft_conformance::Verdict::Unexplained { .. } => "no majority".to_owned(),
    };
    println!("{kind}");
}
