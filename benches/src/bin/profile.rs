//! Runs one workload of the report over and over for a sampling profiler, and prints how many
//! runs it managed:
//!
//! ```sh
//! perf record -e cpu-clock -o perf.data target/release/profile compile-large 20
//! perf report -i perf.data --sort sym
//! ```
//!
//! Workloads: `compile-<module>` (Weft's validate + instrument + compile of one of the report's
//! compile modules: small, kernels, medium, large, adversarial), `prepare-<module>` (validate +
//! instrument only), `exec-<kernel>` (Weft running a kernel) and `instrumented-kernels <file>`
//! (writes the kernels' module as Weft instruments it, for `wasm2wat`).

use std::time::{Duration, Instant};

use weft_benches::peers::{self, EngineKind, KERNELS_WASM};
use weft_benches::report::compile_modules;
use weft_gas::GasSchedule;
use weft_host::HOST_FUNCTIONS;
use weft_vm::Vm;

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    eprintln!(
        "usage: profile <compile-M | prepare-M | exec-K> [seconds] | profile instrumented-kernels <file>"
    );
    std::process::exit(2);
}

fn module(name: &str) -> Vec<u8> {
    compile_modules(true)
        .into_iter()
        .find(|(n, _)| n.split_whitespace().next() == Some(name))
        .map(|(_, wasm)| wasm)
        .unwrap_or_else(|| fail(&format!("no compile module {name}")))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workload = args.first().unwrap_or_else(|| fail("no workload"));
    let schedule = GasSchedule::default();
    if workload == "instrumented-kernels" {
        let out = args.get(1).unwrap_or_else(|| fail("no output file"));
        let prepared = weft_gas::prepare(KERNELS_WASM, &schedule, HOST_FUNCTIONS).expect("kernels prepare");
        std::fs::write(out, prepared.code).unwrap_or_else(|e| fail(&format!("cannot write {out}: {e}")));
        return;
    }
    let seconds: u64 = args
        .get(1)
        .map_or(Ok(10), |s| s.parse())
        .unwrap_or_else(|_| fail("seconds: a number"));
    let mut run: Box<dyn FnMut()> = if let Some(name) = workload.strip_prefix("compile-") {
        let (wasm, vm) = (module(name), Vm::new(schedule));
        Box::new(move || {
            std::hint::black_box(vm.compile(&wasm).expect("compiles"));
        })
    } else if let Some(name) = workload.strip_prefix("prepare-") {
        let wasm = module(name);
        Box::new(move || {
            std::hint::black_box(weft_gas::prepare(&wasm, &schedule, HOST_FUNCTIONS).expect("prepares"));
        })
    } else if let Some(kernel) = workload.strip_prefix("exec-") {
        let kernel = kernel.to_owned();
        let mut engine = peers::compile(EngineKind::Weft, KERNELS_WASM);
        Box::new(move || {
            std::hint::black_box(engine.run(&kernel));
        })
    } else {
        fail(&format!("unknown workload {workload}"))
    };
    let (start, mut runs) = (Instant::now(), 0u64);
    while start.elapsed() < Duration::from_secs(seconds) {
        run();
        runs += 1;
    }
    let per_run = start.elapsed() / u32::try_from(runs).unwrap_or(u32::MAX);
    println!("{workload}: {runs} runs, {per_run:?} each");
}
