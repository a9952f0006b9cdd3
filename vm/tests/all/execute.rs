//! WAT contracts through deploy and execute on Wasmer singlepass: every way a call can end.

use weft_gas::{GasSchedule, PrepareError};
use weft_primitives::{ExecStatus, TrapKind};
use weft_vm::{DeployError, Vm};

use crate::common::{Chain, run as call, trap_kind};

const ECHO: &str = r#"
    (func $echo (export "echo")
      (call $input (i32.const 1))
      (call $read_register (i32.const 1) (i32.const 100))
      (call $debug_log (i32.const 0) (i32.const 15))
      (call $return_data (i32.const 100) (i32.wrap_i64 (call $register_len (i32.const 1)))))"#;

#[test]
fn echo_returns_its_input_with_logs_and_deterministic_gas() {
    let first = call(ECHO, "echo", b"ping", 1_000_000);
    assert_eq!(first.status, ExecStatus::Success);
    assert_eq!(first.return_data, b"ping");
    assert_eq!(first.trace.logs, vec!["hello from wasm".to_string()]);
    assert!(first.gas_used > 0 && first.gas_used < 1_000_000);
    for _ in 0..3 {
        assert_eq!(
            call(ECHO, "echo", b"ping", 1_000_000),
            first,
            "same input, same execution"
        );
    }
    // Longer input costs more, by the per-byte host costs.
    assert!(call(ECHO, "echo", &[7; 400], 1_000_000).gas_used > first.gas_used);
}

#[test]
fn revert_returns_its_data() {
    let r = call(
        r#"(func (export "f") (call $revert (i32.const 0) (i32.const 5)) unreachable)"#,
        "f",
        b"",
        100_000,
    );
    assert_eq!(r.status, ExecStatus::Revert);
    assert_eq!(r.return_data, b"hello");
}

#[test]
fn abort_traps_with_its_message_in_the_trace() {
    let r = call(
        r#"(func $panicky (export "f") (call $abort (i32.const 0) (i32.const 15)))"#,
        "f",
        b"",
        100_000,
    );
    assert_eq!(
        r.status,
        ExecStatus::Trap {
            kind: TrapKind::Abort
        }
    );
    let detail = r.trace.trap.as_ref().expect("the trace explains the trap");
    assert_eq!(detail.message, "hello from wasm");
}

#[test]
fn out_of_gas_in_wasm_and_in_a_host_call() {
    let spin = call(r#"(func (export "spin") (loop $l br $l))"#, "spin", b"", 50_000);
    assert_eq!(spin.status, ExecStatus::OutOfGas);
    assert_eq!(spin.gas_used, 50_000);
    // Enough for the wasm around it, not for the host call's 200 base cost.
    let host = call(
        r#"(func (export "f") (call $debug_log (i32.const 0) (i32.const 15)))"#,
        "f",
        b"",
        150,
    );
    assert_eq!(host.status, ExecStatus::OutOfGas);
    assert!(host.trace.logs.is_empty(), "gas is charged before the work");
    assert_eq!(host.gas_used, 150);
}

#[test]
fn hostile_pointers_trap_without_harming_the_host() {
    for (ptr, len) in [
        ("65530", "100"),
        ("-1", "2"),
        ("100", "-1"),
        ("2147483647", "2147483647"),
    ] {
        let body = format!(r#"(func (export "f") (call $return_data (i32.const {ptr}) (i32.const {len})))"#);
        let r = call(&body, "f", b"", 1_000_000);
        assert_eq!(
            trap_kind(&r).0,
            TrapKind::HostError,
            "ptr {ptr}, len {len}: {r:?}"
        );
    }
    // A register written past the end of memory.
    let body = r#"(func (export "f") (call $input (i32.const 0)) (call $read_register (i32.const 0) (i32.const 65534)))"#;
    assert_eq!(
        trap_kind(&call(body, "f", b"four", 1_000_000)).0,
        TrapKind::HostError
    );
    // Reading an empty register.
    let body = r#"(func (export "f") (call $read_register (i32.const 9) (i32.const 0)))"#;
    assert_eq!(trap_kind(&call(body, "f", b"", 1_000_000)).0, TrapKind::HostError);
}

#[test]
fn wasm_traps_are_classified_with_the_function_name() {
    let oob = call(
        r#"(func $reader (export "f") (drop (i32.load (i32.const 70000))))"#,
        "f",
        b"",
        100_000,
    );
    assert_eq!(
        trap_kind(&oob),
        (TrapKind::MemoryOutOfBounds, Some("reader".into()))
    );
    let unreachable = call(r#"(func $boom (export "f") unreachable)"#, "f", b"", 100_000);
    assert_eq!(
        trap_kind(&unreachable),
        (TrapKind::Unreachable, Some("boom".into()))
    );
    let div = call(
        r#"(func $div (export "f") (drop (i32.div_u (i32.const 1) (i32.const 0))))"#,
        "f",
        b"",
        100_000,
    );
    assert_eq!(
        trap_kind(&div),
        (TrapKind::IntegerDivisionByZero, Some("div".into()))
    );
}

#[test]
fn deep_recursion_is_a_deterministic_stack_overflow() {
    let body = r#"(func $down (export "f") (call $down))"#;
    let first = call(body, "f", b"", 100_000_000);
    // Wasmer records no frames for a trap this deep, so the function name is not known here.
    assert_eq!(trap_kind(&first).0, TrapKind::StackOverflow);
    assert_eq!(call(body, "f", b"", 100_000_000), first, "same depth, same gas");
}

#[test]
fn memory_cannot_grow_past_the_cap() {
    let body = r#"(func (export "f")
        (i32.store (i32.const 200) (memory.grow (i32.const 600)))
        (call $return_data (i32.const 200) (i32.const 4)))"#;
    let r = call(body, "f", b"", 100_000_000);
    assert_eq!(r.status, ExecStatus::Success);
    assert_eq!(r.return_data, (-1i32).to_le_bytes());
}

#[test]
fn unknown_entry_point_and_refused_modules() {
    let r = call(ECHO, "nope", b"", 100_000);
    assert_eq!(trap_kind(&r).0, TrapKind::HostError);
    assert_eq!(r.gas_used, 0);
    let vm = Vm::new(GasSchedule::default());
    let floats =
        wat::parse_str(r#"(module (memory (export "memory") 1) (func (drop (f32.const 1))))"#).unwrap();
    assert!(matches!(
        vm.compile(&floats),
        Err(DeployError::Prepare(PrepareError::FeatureNotAllowed { .. }))
    ));
    let unknown_import =
        wat::parse_str(r#"(module (import "env" "nope" (func)) (memory (export "memory") 1))"#).unwrap();
    assert!(matches!(
        vm.compile(&unknown_import),
        Err(DeployError::Prepare(PrepareError::Import { .. }))
    ));
}

#[test]
fn a_data_segment_out_of_bounds_is_a_trap_at_instantiation() {
    let wasm = wat::parse_str(
        r#"(module (memory (export "memory") 1) (data (i32.const 65535) "xy") (func (export "f")))"#,
    )
    .unwrap();
    let mut chain = Chain::new();
    // The constructor is absent, so the deploy succeeds; instantiation at call time traps.
    let (address, deployed) = chain.deploy_wasm(&wasm, b"", 0);
    assert_eq!(deployed.status, ExecStatus::Success);
    let r = chain.call(address, "f", b"", 1_000);
    assert_eq!(trap_kind(&r).0, TrapKind::MemoryOutOfBounds);
}

#[test]
fn the_vm_serves_the_next_call_after_every_failure() {
    let mut chain = Chain::new();
    let echo = chain.deploy(ECHO);
    let spin = chain.deploy(r#"(func (export "spin") (loop $l br $l))"#);
    for _ in 0..3 {
        assert_eq!(chain.call(spin, "spin", b"", 10_000).status, ExecStatus::OutOfGas);
        let ok = chain.call(echo, "echo", b"again", 1_000_000);
        assert_eq!(ok.return_data, b"again");
    }
}
