//! Properties over many modules: instrumented ≡ original given ample gas (on wasmi), determinism,
//! the output always validates, and no input makes `prepare` panic.

use crate::common::{run, wat};
use arbitrary::Unstructured;
use wasmi::Val;
use weft_gas::{GasSchedule, PrepareError, prepare};

/// A deterministic byte source, so every run of these tests sees the same modules.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// wasm-smith limited to Weft's feature policy, exporting `memory` and two entry functions.
fn policy_config() -> wasm_smith::Config {
    weft_gas::smith_config(wat(r#"(module (memory (export "memory") 1 4)
                (func (export "run0") (param i32) (result i32) unreachable)
                (func (export "run1") (result i64) unreachable))"#))
}

fn schedule_without_stack_limit() -> GasSchedule {
    let mut schedule = GasSchedule::default();
    schedule.limits.max_stack_height = i32::MAX as u32 / 2;
    schedule
}

#[test]
fn instrumented_modules_behave_like_the_original() {
    let schedule = schedule_without_stack_limit();
    let (mut compared, mut trapped, mut over_limits) = (0, 0, 0);
    for seed in 0..300 {
        let data = bytes(seed, 4096);
        let mut u = Unstructured::new(&data);
        let Ok(mut module) = wasm_smith::Module::new(policy_config(), &mut u) else {
            continue;
        };
        module.ensure_termination(1_000).unwrap();
        let original = module.to_bytes();
        let prepared = match prepare(&original, &schedule, &[]) {
            Ok(prepared) => prepared,
            // wasm-smith has no knob for every limit (e.g. results per type).
            Err(PrepareError::LimitExceeded { .. }) => {
                over_limits += 1;
                continue;
            }
            Err(e) => panic!("seed {seed}: a policy-conforming module was refused: {e}"),
        };
        for (export, args) in [("run0", vec![Val::I32(seed as i32)]), ("run1", vec![])] {
            let before = run(&original, export, &args, 0);
            let after = run(&prepared.code, export, &args, i64::MAX / 2);
            assert_eq!(before.result, after.result, "seed {seed}, {export}");
            assert_eq!(
                before.memory, after.memory,
                "seed {seed}, {export}: memory differs"
            );
            assert!(after.gas_left > 0);
            compared += 1;
            trapped += usize::from(before.result.is_err());
        }
    }
    eprintln!("compared {compared} calls ({trapped} trapped in both); {over_limits} modules over a limit");
    assert!(compared >= 400, "too few modules generated: {compared}");
}

#[test]
fn instrumentation_is_deterministic_and_output_validates() {
    let schedule = GasSchedule::default();
    let mut checked = 0;
    for seed in 0..200 {
        let data = bytes(seed + 10_000, 4096);
        let Ok(module) = wasm_smith::Module::new(policy_config(), &mut Unstructured::new(&data)) else {
            continue;
        };
        let original = module.to_bytes();
        let Ok(first) = prepare(&original, &schedule, &[]) else {
            continue;
        };
        let second = prepare(&original, &schedule, &[]).unwrap();
        assert_eq!(first, second, "seed {seed}: same bytes in, same bytes out");
        wasmparser::Validator::new().validate_all(&first.code).unwrap();
        // A prepared module cannot be prepared again: its counters are reserved exports.
        assert!(prepare(&first.code, &schedule, &[]).is_err());
        checked += 1;
    }
    assert!(checked >= 150, "{checked}");
}

#[test]
fn no_input_makes_prepare_panic() {
    let schedule = GasSchedule::default();
    let mut runs = 0usize;
    // Random bytes, random bytes behind a valid header, and wasm-smith modules with every feature.
    for seed in 0..2_000 {
        let data = bytes(seed + 20_000, 1 + (seed as usize % 700));
        let _ = prepare(&data, &schedule, &[]);
        let mut with_header = b"\0asm\x01\0\0\0".to_vec();
        with_header.extend_from_slice(&data);
        if let Ok(prepared) = prepare(&with_header, &schedule, &[]) {
            wasmparser::Validator::new().validate_all(&prepared.code).unwrap();
        }
        runs += 2;
    }
    for seed in 0..500 {
        let data = bytes(seed + 30_000, 2048);
        let Ok(module) =
            wasm_smith::Module::new(wasm_smith::Config::default(), &mut Unstructured::new(&data))
        else {
            continue;
        };
        let mut wasm = module.to_bytes();
        if let Ok(prepared) = prepare(&wasm, &schedule, &[]) {
            wasmparser::Validator::new().validate_all(&prepared.code).unwrap();
        }
        // Flip bytes of the module and try again.
        let noise = bytes(seed, 8);
        for (i, b) in noise.iter().enumerate() {
            let at = (usize::from(*b) * 31 + i * 97) % wasm.len();
            wasm[at] ^= b | 1;
        }
        let _ = prepare(&wasm, &schedule, &[]);
        runs += 2;
    }
    eprintln!("prepare ran on {runs} inputs without a panic");
    assert!(runs >= 4_500);
}
