//! The long run: `cargo run --release -p weft-conformance -- [--modules N] [--from SEED]`.
//! Compares the modules of seeds `SEED..SEED+N/2` from each generator (N modules in all,
//! default 100,000), prints the tally and every divergence, and exits 1 if any blames Weft.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
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
