//! A contract built by stable Rust with the default wasm32 target features (bulk memory,
//! `call_indirect`, the mutable stack-pointer global; `contracts/policy-probe`, built by
//! `contracts/build.sh`) passes the feature policy and runs instrumented with the same result.

// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use wasmi::{Caller, Engine, Extern, Linker, Module, Store, Val};
use weft_gas::{AbiType, GAS_GLOBAL, GasSchedule, HostFunction, prepare};

const PROBE: &[u8] = include_bytes!("../../../contracts/artifacts/policy_probe.wasm");
const HOST: &[HostFunction] = &[HostFunction {
    name: "emit",
    params: &[AbiType::I32, AbiType::I32],
    results: &[],
}];

/// Runs `run`, returning the bytes passed to `env.emit` and the gas left (when metered).
fn run(code: &[u8], gas: i64) -> (Vec<u8>, i64) {
    let engine = Engine::default();
    let module = Module::new(&engine, code).unwrap();
    let mut store = Store::new(&engine, Vec::new());
    let mut linker = Linker::<Vec<u8>>::new(&engine);
    linker
        .func_wrap(
            "env",
            "emit",
            |mut caller: Caller<'_, Vec<u8>>, ptr: i32, len: i32| {
                let memory = caller.get_export("memory").and_then(Extern::into_memory).unwrap();
                let (ptr, len) = (ptr as u32 as usize, len as u32 as usize);
                let bytes = memory.data(&caller)[ptr..ptr + len].to_vec();
                *caller.data_mut() = bytes;
            },
        )
        .unwrap();
    let instance = linker.instantiate_and_start(&mut store, &module).unwrap();
    if let Some(global) = instance.get_global(&store, GAS_GLOBAL) {
        global.set(&mut store, Val::I64(gas)).unwrap();
    }
    instance
        .get_func(&store, "run")
        .unwrap()
        .call(&mut store, &[], &mut [])
        .unwrap();
    let gas_left = match instance.get_global(&store, GAS_GLOBAL).map(|g| g.get(&store)) {
        Some(Val::I64(left)) => left,
        _ => gas,
    };
    (store.data().clone(), gas_left)
}

#[test]
fn default_rust_build_is_accepted_and_behaves_the_same_metered() {
    let prepared = prepare(PROBE, &GasSchedule::default(), HOST).unwrap();
    assert_eq!(prepared.entry_points, vec!["run".to_string()]);

    let (expected, _) = run(PROBE, 0);
    assert_eq!(expected.len(), 1004);
    assert!(
        expected[..500]
            .iter()
            .enumerate()
            .all(|(i, b)| *b == (i * 3) as u8)
    );
    assert!(expected[500..1000].iter().all(|b| *b == 0xAB));
    // out[1] = 3; (3 - 7) * 2 = -8.
    assert_eq!(i32::from_le_bytes(expected[1000..].try_into().unwrap()), -8);

    let gas = 10_000_000;
    let (metered, left) = run(&prepared.code, gas);
    assert_eq!(metered, expected);
    let used = gas - left;
    assert!(used > 2_000, "bulk operations were charged per byte: {used}");
    // Same bytes, same gas, every time.
    assert_eq!(
        run(&prepare(PROBE, &GasSchedule::default(), HOST).unwrap().code, gas),
        (expected, left)
    );
}
