//! Validation + instrumentation throughput (`weft_gas::prepare`) on small, medium and large modules.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use weft_benches::{adversarial_module, synthetic_module};
use weft_gas::{GasSchedule, prepare};

fn instrument(c: &mut Criterion) {
    let schedule = GasSchedule::default();
    let mut group = c.benchmark_group("prepare");
    let modules = [
        ("small", synthetic_module(8, 8)),
        ("medium", synthetic_module(200, 16)),
        ("large", synthetic_module(700, 50)),
        // Deep nesting, wide br_table, many locals: time must stay linear in size.
        ("adversarial", adversarial_module(300, 1_000, 4_000)),
    ];
    for (name, wasm) in modules {
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
