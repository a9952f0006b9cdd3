//! The module cache and persisted artifacts: hits, restarts that load instead of compiling,
//! corrupt artifacts recompiled, bounds, and schedule changes.

use std::sync::Arc;

use crate::common::{Chain, wasm};
use weft_gas::GasSchedule;
use weft_state::{Column, Durability, KvStore, MemStore, SharedStore, WriteBatch};
use weft_vm::{CacheConfig, Vm};

const ECHO: &str =
    r#"(func (export "echo") (call $input (i32.const 1)) (call $return_register (i32.const 1)))"#;

fn persisting_vm(store: &SharedStore, schedule: GasSchedule) -> Vm {
    Vm::with_cache(schedule, CacheConfig::default(), Some(store.clone()))
}

#[test]
fn the_second_call_is_a_cache_hit() {
    let mut chain = Chain::new();
    let c = chain.deploy(ECHO);
    let after_deploy = chain.vm.cache_stats();
    assert_eq!(after_deploy.compiles, 1);
    chain.call(c, "echo", b"a", 1_000_000);
    chain.call(c, "echo", b"b", 1_000_000);
    let stats = chain.vm.cache_stats();
    assert_eq!(
        (stats.hits - after_deploy.hits, stats.misses, stats.compiles),
        (2, 1, 1),
        "the deploy looked in the cache once, then compiled"
    );
}

#[test]
fn identical_code_deployed_again_compiles_once_and_costs_the_same() {
    let mut chain = Chain::new();
    let (first, deployed) = chain.deploy_wasm(&wasm(ECHO), b"", 0);
    let (second, again) = chain.deploy_wasm(&wasm(ECHO), b"", 0);
    assert_ne!(first, second);
    assert_eq!(
        (&again.status, again.gas_used, &again.return_data),
        (&deployed.status, deployed.gas_used, &deployed.return_data),
        "the same outcome and gas from the cached module"
    );
    let stats = chain.vm.cache_stats();
    // One compile; the second deploy finds the module in the cache, and each deploy's frame loads
    // the stored code's module from there too.
    assert_eq!((stats.compiles, stats.hits), (1, 3));
    assert_eq!(chain.call(second, "echo", b"x", 1_000_000).return_data, b"x");
}

#[test]
fn a_restarted_vm_loads_the_persisted_artifact_instead_of_compiling() {
    let artifacts: SharedStore = Arc::new(MemStore::new());
    let mut chain = Chain::with_vm(persisting_vm(&artifacts, GasSchedule::default()));
    let c = chain.deploy(ECHO);
    let before = chain.call(c, "echo", b"ping", 1_000_000);
    assert_eq!(artifacts.iter_prefix(Column::Artifacts, b"").count(), 1);

    // "Restart": a new VM over the same store; the world (the chain state) carries over.
    chain.vm = persisting_vm(&artifacts, GasSchedule::default());
    let after = chain.call(c, "echo", b"ping", 1_000_000);
    assert_eq!(after, before, "same outcome and gas from the loaded artifact");
    let stats = chain.vm.cache_stats();
    assert_eq!((stats.misses, stats.artifact_loads, stats.compiles), (1, 1, 0));
    chain.call(c, "echo", b"ping", 1_000_000);
    assert_eq!(chain.vm.cache_stats().hits, 1);
}

#[test]
fn a_corrupt_artifact_is_recompiled_not_trusted() {
    let artifacts: SharedStore = Arc::new(MemStore::new());
    let mut chain = Chain::with_vm(persisting_vm(&artifacts, GasSchedule::default()));
    let c = chain.deploy(ECHO);
    let (key, mut value) = artifacts
        .iter_prefix(Column::Artifacts, b"")
        .next()
        .unwrap()
        .unwrap();
    let middle = value.len() / 2;
    value[middle] ^= 0x40;
    let mut batch = WriteBatch::new();
    batch.put(Column::Artifacts, key.clone(), value.clone());
    artifacts.write(&batch, Durability::Sync).unwrap();

    chain.vm = persisting_vm(&artifacts, GasSchedule::default());
    let r = chain.call(c, "echo", b"still works", 1_000_000);
    assert_eq!(r.return_data, b"still works");
    let stats = chain.vm.cache_stats();
    assert_eq!(
        (stats.artifacts_rejected, stats.artifact_loads, stats.compiles),
        (1, 0, 1)
    );
    let rewritten = artifacts.get(Column::Artifacts, &key).unwrap().unwrap();
    assert_ne!(
        rewritten, value,
        "the recompiled artifact replaced the corrupt one"
    );

    // Truncated to nothing useful: also rejected.
    let mut batch = WriteBatch::new();
    batch.put(Column::Artifacts, key, vec![1, 2, 3]);
    artifacts.write(&batch, Durability::Sync).unwrap();
    chain.vm = persisting_vm(&artifacts, GasSchedule::default());
    assert_eq!(chain.call(c, "echo", b"x", 1_000_000).return_data, b"x");
    assert_eq!(chain.vm.cache_stats().artifacts_rejected, 1);
}

#[test]
fn a_new_schedule_never_loads_an_old_artifact() {
    let artifacts: SharedStore = Arc::new(MemStore::new());
    let mut chain = Chain::with_vm(persisting_vm(&artifacts, GasSchedule::default()));
    let c = chain.deploy(ECHO);
    let mut dearer = GasSchedule::default();
    dearer.ops.call += 1;
    chain.vm = persisting_vm(&artifacts, dearer);
    assert_eq!(chain.call(c, "echo", b"x", 1_000_000).return_data, b"x");
    let stats = chain.vm.cache_stats();
    assert_eq!((stats.artifact_loads, stats.compiles), (0, 1));
    assert_eq!(artifacts.iter_prefix(Column::Artifacts, b"").count(), 2);
}

#[test]
fn the_cache_stays_within_its_bounds() {
    let config = CacheConfig {
        max_modules: 2,
        max_bytes: usize::MAX,
    };
    let vm = Vm::with_cache(GasSchedule::default(), config, None);
    let mut chain = Chain::with_vm(vm);
    let contracts: Vec<_> = (0..3)
        .map(|i| chain.deploy(&format!(r#"{ECHO} (func (export "f{i}"))"#)))
        .collect();
    assert_eq!(chain.vm.cache_usage().0, 2);
    assert_eq!(chain.vm.cache_stats().evictions, 1);
    // The evicted one recompiles from the code in the state.
    assert_eq!(
        chain.call(contracts[0], "echo", b"y", 1_000_000).return_data,
        b"y"
    );
    assert_eq!(chain.vm.cache_stats().compiles, 4);

    let one_module = chain.vm.cache_usage().1 / 2;
    let tiny = Vm::with_cache(
        GasSchedule::default(),
        CacheConfig {
            max_modules: 10,
            max_bytes: one_module + one_module / 2,
        },
        None,
    );
    for i in 0..3 {
        tiny.compile(&wasm(&format!(r#"{ECHO} (func (export "g{i}"))"#)))
            .unwrap();
    }
    let (modules, bytes) = tiny.cache_usage();
    assert_eq!(modules, 1);
    assert!(bytes <= one_module + one_module / 2);
}

#[test]
fn an_artifact_is_serialized_only_for_a_store() {
    let code = wasm(ECHO);
    let instrumented = weft_gas::prepare(&code, &GasSchedule::default(), weft_host::HOST_FUNCTIONS)
        .unwrap()
        .code
        .len();
    let in_memory = Vm::new(GasSchedule::default()).compile(&code).unwrap();
    assert_eq!(
        in_memory.cache_bytes(),
        instrumented,
        "counted by its instrumented wasm"
    );

    let artifacts: SharedStore = Arc::new(MemStore::new());
    let persisted = persisting_vm(&artifacts, GasSchedule::default())
        .compile(&code)
        .unwrap();
    let (_, stored) = artifacts
        .iter_prefix(Column::Artifacts, b"")
        .next()
        .unwrap()
        .unwrap();
    assert!(persisted.cache_bytes() > instrumented && persisted.cache_bytes() <= stored.len());
}
