//! Validation + instrumentation throughput (`weft_gas::prepare`) on small, medium and large modules.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use weft_benches::synthetic_module;
use weft_gas::{GasSchedule, prepare};

fn instrument(c: &mut Criterion) {
    let schedule = GasSchedule::default();
    let mut group = c.benchmark_group("prepare");
    for (name, functions, blocks) in [("small", 8, 8), ("medium", 200, 16), ("large", 700, 50)] {
        let wasm = synthetic_module(functions, blocks);
        prepare(&wasm, &schedule, &[]).expect("the synthetic module is valid");
        group.throughput(Throughput::Bytes(wasm.len() as u64));
        group.bench_function(
            BenchmarkId::new(name, format!("{} KiB", wasm.len() / 1024)),
            |b| b.iter(|| prepare(&wasm, &schedule, &[]).expect("prepare")),
        );
    }
    group.finish();
}

criterion_group!(benches, instrument);
criterion_main!(benches);
