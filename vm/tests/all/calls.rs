//! Cross-contract calls: frames, checkpoints, value, gas, reentrancy and the depth limit.

use crate::common::{Chain, wasm};
use weft_primitives::{Address, ExecStatus};

/// `forward`: input = target(32) ‖ value(16) ‖ gas(i64) ‖ entry length(1) ‖ entry ‖ args. Writes
/// its own storage key "hello" first, calls, and returns status(i32) ‖ the callee's register.
const PROXY: &str = r#"
    (func (export "forward") (local $len i32) (local $elen i32)
      (call $input (i32.const 1))
      (call $read_register (i32.const 1) (i32.const 0x100))
      (local.set $len (i32.wrap_i64 (call $register_len (i32.const 1))))
      (local.set $elen (i32.load8_u (i32.const 0x138)))
      (call $storage_write (i32.const 0) (i32.const 5) (i32.const 0) (i32.const 5))
      (i32.store (i32.const 0x4000)
        (call $call (i32.const 0x100) (i32.const 0x139) (local.get $elen)
          (i32.add (i32.const 0x139) (local.get $elen))
          (i32.sub (local.get $len) (i32.add (i32.const 0x39) (local.get $elen)))
          (i32.const 0x120) (i64.load (i32.const 0x130)) (i32.const 5)))
      (if (i64.ge_s (call $register_len (i32.const 5)) (i64.const 0))
        (then
          (call $read_register (i32.const 5) (i32.const 0x4004))
          (call $return_data (i32.const 0x4000)
            (i32.add (i32.const 4) (i32.wrap_i64 (call $register_len (i32.const 5))))))
        (else (call $return_data (i32.const 0x4000) (i32.const 4)))))
"#;

/// Entry points that succeed, revert, trap, spin, or call back into their caller; each writes its
/// storage key "hello" first.
const WORKER: &str = r#"
    (func $mark (call $storage_write (i32.const 0) (i32.const 5) (i32.const 6) (i32.const 4)))
    (func (export "ok") (call $mark)
      (call $emit_event (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 5))
      (call $debug_log (i32.const 0) (i32.const 5))
      (call $return_data (i32.const 0) (i32.const 5)))
    (func (export "fail_revert") (call $mark) (call $revert (i32.const 6) (i32.const 4)))
    (func (export "fail_trap") (call $mark) unreachable)
    (func (export "spin") (loop $l br $l))
    ;; Calls `forward` of its caller, which is on the call stack: refused.
    (func (export "back")
      (call $caller (i32.const 0x100))
      (i32.store (i32.const 0x200)
        (call $call (i32.const 0x100) (i32.const 0x300) (i32.const 7) (i32.const 0) (i32.const 0)
          (i32.const 0x400) (i64.const -1) (i32.const 9)))
      (call $return_data (i32.const 0x200) (i32.const 4)))
    (data (i32.const 0x300) "forward")
"#;

fn forward(target: Address, value: u128, gas: i64, entry: &str, args: &[u8]) -> Vec<u8> {
    let mut input = target.as_bytes().to_vec();
    input.extend_from_slice(&value.to_le_bytes());
    input.extend_from_slice(&gas.to_le_bytes());
    input.push(entry.len() as u8);
    input.extend_from_slice(entry.as_bytes());
    input.extend_from_slice(args);
    input
}

fn status(data: &[u8]) -> i32 {
    let mut word = [0; 4];
    word.copy_from_slice(&data[..4]);
    i32::from_le_bytes(word)
}

struct Setup {
    chain: Chain,
    proxy: Address,
    worker: Address,
}

fn setup() -> Setup {
    let mut chain = Chain::new();
    let (proxy, deployed) = chain.deploy_wasm(&wasm(PROXY), b"", 1_000);
    assert!(deployed.is_success());
    let worker = chain.deploy(WORKER);
    Setup { chain, proxy, worker }
}

#[test]
fn a_successful_callee_keeps_its_writes_value_and_events() {
    let Setup {
        mut chain,
        proxy,
        worker,
    } = setup();
    let r = chain.call(proxy, "forward", &forward(worker, 5, -1, "ok", b""), 10_000_000);
    assert!(r.is_success(), "{r:?}");
    assert_eq!(
        (status(&r.return_data), &r.return_data[4..]),
        (0, b"hello".as_slice())
    );
    assert_eq!(
        chain.world.storage(&worker, b"hello").unwrap(),
        Some(b"from".to_vec())
    );
    assert_eq!(
        chain.world.storage(&proxy, b"hello").unwrap(),
        Some(b"hello".to_vec())
    );
    assert_eq!((chain.balance(&proxy), chain.balance(&worker)), (995, 5));
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].address, worker);
    assert_eq!(r.trace.logs, vec!["hello".to_string()]);
}

#[test]
fn a_failing_callee_reverts_only_its_own_frame() {
    for (entry, expected_status, data) in [("fail_revert", 1, b"from".as_slice()), ("fail_trap", 2, b"")] {
        let Setup {
            mut chain,
            proxy,
            worker,
        } = setup();
        let r = chain.call(proxy, "forward", &forward(worker, 5, -1, entry, b""), 10_000_000);
        assert!(r.is_success(), "the caller goes on: {r:?}");
        assert_eq!(
            (status(&r.return_data), &r.return_data[4..]),
            (expected_status, data),
            "{entry}"
        );
        assert_eq!(
            chain.world.storage(&worker, b"hello").unwrap(),
            None,
            "{entry}: callee write undone"
        );
        assert_eq!(
            chain.world.storage(&proxy, b"hello").unwrap(),
            Some(b"hello".to_vec())
        );
        assert_eq!(
            (chain.balance(&proxy), chain.balance(&worker)),
            (1_000, 0),
            "{entry}: value back"
        );
    }
}

#[test]
fn the_caller_pays_for_a_callee_that_runs_out_of_gas_and_goes_on() {
    let Setup {
        mut chain,
        proxy,
        worker,
    } = setup();
    let cheap = chain.call(
        proxy,
        "forward",
        &forward(worker, 0, 10_000, "spin", b""),
        10_000_000,
    );
    let dear = chain.call(
        proxy,
        "forward",
        &forward(worker, 0, 60_000, "spin", b""),
        10_000_000,
    );
    assert_eq!((status(&cheap.return_data), status(&dear.return_data)), (2, 2));
    assert_eq!(
        dear.gas_used - cheap.gas_used,
        50_000,
        "all the callee's gas, no more"
    );
    // A callee given all that is left runs the caller out of gas too.
    let all = chain.call(proxy, "forward", &forward(worker, 0, -1, "spin", b""), 200_000);
    assert_eq!(all.status, ExecStatus::OutOfGas);
}

#[test]
fn reentrancy_is_refused() {
    let Setup {
        mut chain,
        proxy,
        worker,
    } = setup();
    let r = chain.call(proxy, "forward", &forward(worker, 0, -1, "back", b""), 10_000_000);
    assert_eq!(status(&r.return_data), 0, "the worker ran");
    assert_eq!(
        status(&r.return_data[4..]),
        3,
        "its call back into the proxy was refused"
    );
}

#[test]
fn calls_to_nothing_are_refused() {
    let Setup {
        mut chain,
        proxy,
        worker,
    } = setup();
    let nobody = Address([0x99; 32]);
    for (target, entry, value) in [
        (nobody, "ok", 0),
        (worker, "missing", 0),
        (worker, "deploy", 0),
        (worker, "ok", 5_000),
    ] {
        let r = chain.call(
            proxy,
            "forward",
            &forward(target, value, -1, entry, b""),
            10_000_000,
        );
        assert_eq!(status(&r.return_data), 3, "{entry} of {target}");
    }
    assert_eq!(chain.balance(&proxy), 1_000);
}

#[test]
fn the_call_depth_limit_is_enforced() {
    let mut chain = Chain::new();
    let depth = chain.vm.schedule().runtime.max_call_depth as usize;
    let proxies: Vec<Address> = (0..depth).map(|_| chain.deploy(PROXY)).collect();
    let worker = chain.deploy(WORKER);
    // proxies[0] -> proxies[1] -> ... -> proxies[depth - 1] -> worker: one frame too many.
    let mut input = forward(worker, 0, -1, "ok", b"");
    for next in proxies[1..].iter().rev() {
        input = forward(*next, 0, -1, "forward", &input);
    }
    let r = chain.call(proxies[0], "forward", &input, 100_000_000);
    assert!(r.is_success(), "{r:?}");
    let statuses: Vec<i32> = r.return_data.chunks(4).map(status).collect();
    let mut expected = vec![0; depth - 1];
    expected.push(3);
    assert_eq!(statuses, expected);
    assert_eq!(chain.world.storage(&worker, b"hello").unwrap(), None);
}
