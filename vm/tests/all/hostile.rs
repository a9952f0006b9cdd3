//! The hostile contracts of `contracts/hostile/` (and a Rust panic): each ends in its expected
//! deterministic outcome, leaves state exactly as it was, and the VM serves the next call.

use crate::common::{Chain, trap_kind, trap_message};
use weft_primitives::{ExecStatus, TrapKind, scale::Encode};
use weft_state::{Column, KvPair};
use weft_vm::{Outcome, World};

const COUNTER: &[u8] = include_bytes!("../../../contracts/artifacts/counter.wasm");
const GAS: u64 = 50_000_000;

fn hostile(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../contracts/hostile/{name}.wat",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
    );
    wat::parse_file(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Everything the world holds, column by column.
fn dump(world: &World) -> Vec<(Column, Vec<KvPair>)> {
    Column::ALL
        .iter()
        .map(|&col| (col, world.iter_prefix(col, b"").expect("state reads")))
        .collect()
}

/// A chain with a counter (at 7) and `hostile` deployed.
struct Arena {
    chain: Chain,
    counter: weft_primitives::Address,
    attacker: weft_primitives::Address,
}

impl Arena {
    fn new(hostile_name: &str) -> Self {
        let mut chain = Chain::new();
        let (counter, deployed) = chain.deploy_wasm(COUNTER, &7u64.encode(), 0);
        assert!(deployed.is_success(), "{deployed:?}");
        let (attacker, deployed) = chain.deploy_wasm(&hostile(hostile_name), b"", 0);
        assert!(deployed.is_success(), "{hostile_name}: {deployed:?}");
        Self {
            chain,
            counter,
            attacker,
        }
    }

    /// Calls `entry` of the attacker and checks that state did not change and the counter
    /// still counts.
    fn attack(&mut self, entry: &str, input: &[u8]) -> Outcome {
        let before = dump(&self.chain.world);
        let outcome = self.chain.call(self.attacker, entry, input, GAS);
        assert_eq!(
            dump(&self.chain.world),
            before,
            "{entry}: state changed: {outcome:?}"
        );
        let next = self.chain.call(self.counter, "increment", b"", 1_000_000);
        assert!(next.is_success(), "after {entry}: {next:?}");
        outcome
    }
}

#[test]
fn an_infinite_loop_runs_out_of_gas() {
    let mut arena = Arena::new("infinite_loop");
    let r = arena.attack("run", b"");
    assert_eq!((r.status, r.gas_used), (ExecStatus::OutOfGas, GAS));
}

#[test]
fn unbounded_recursion_hits_the_stack_height_limit() {
    let mut arena = Arena::new("deep_recursion");
    let first = arena.attack("run", b"");
    assert_eq!(trap_kind(&first).0, TrapKind::StackOverflow, "{first:?}");
    let second = arena.attack("run", b"");
    assert_eq!(second, first, "deterministic, gas included");
}

#[test]
fn a_memory_bomb_stops_at_the_memory_cap_and_pays_per_page() {
    let mut arena = Arena::new("memory_bomb");
    let r = arena.attack("to_the_cap", b"");
    assert!(r.is_success(), "{r:?}");
    let schedule = weft_gas::GasSchedule::default();
    assert_eq!(
        r.return_data,
        schedule.limits.max_memory_pages.to_le_bytes(),
        "grew to the cap"
    );
    assert!(r.gas_used > u64::from(schedule.limits.max_memory_pages - 1) * schedule.dynamic.memory_grow_page);
    let cheap = arena.attack("to_the_cap", b"");
    assert_eq!(cheap, r, "deterministic");
    let bomb = arena.attack("bomb", b"");
    assert_eq!(
        (bomb.status, bomb.gas_used),
        (ExecStatus::OutOfGas, GAS),
        "65,535 pages are charged up front"
    );
}

#[test]
fn storage_spam_runs_out_of_gas_and_writes_nothing() {
    let mut arena = Arena::new("storage_spam");
    let r = arena.attack("run", b"");
    assert_eq!((r.status, r.gas_used), (ExecStatus::OutOfGas, GAS));
}

#[test]
fn a_reentrant_call_is_refused() {
    let mut arena = Arena::new("reentrancy");
    let before = dump(&arena.chain.world);
    let r = arena.chain.call(arena.attacker, "run", b"", GAS);
    assert!(r.is_success(), "{r:?}");
    assert_eq!(r.return_data, [3], "the inner call is refused");
    // The outer call's own write is kept; nothing else changed (the inner call never ran).
    let after = dump(&arena.chain.world);
    let changed: Vec<_> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0)
        .collect();
    assert_eq!(changed, [Column::Storage]);
    assert_eq!(
        arena.chain.world.storage(&arena.attacker, b"entered").unwrap(),
        Some(b"entered".to_vec())
    );
}

#[test]
fn bad_pointers_trap_with_a_host_error_and_write_nothing() {
    let mut arena = Arena::new("bad_pointers");
    for entry in [
        "key_past_end",
        "wrapping_length",
        "register_past_end",
        "huge_length",
        "output_out_of_memory",
    ] {
        let r = arena.attack(entry, b"8 bytes!");
        assert_eq!(trap_kind(&r).0, TrapKind::HostError, "{entry}: {r:?}");
        assert!(!trap_message(&r).is_empty(), "{entry}");
    }
}

#[test]
fn events_over_the_limits_trap_and_emit_nothing() {
    let mut arena = Arena::new("huge_event");
    for entry in ["too_much_data", "too_many_topics"] {
        let r = arena.attack(entry, b"");
        assert_eq!(trap_kind(&r).0, TrapKind::HostError, "{entry}: {r:?}");
        assert!(r.events.is_empty(), "{entry}");
    }
    let at_limit = arena.chain.call(arena.attacker, "at_the_limit", b"", GAS);
    assert!(at_limit.is_success(), "{at_limit:?}");
    assert_eq!(at_limit.events[0].data.len(), 16_384);
}

#[test]
fn host_memory_is_capped_in_registers_and_log_lines() {
    let mut arena = Arena::new("host_memory");
    let limits = weft_gas::GasSchedule::default().runtime;
    for (entry, what) in [("registers", "registers"), ("logs", "debug-log")] {
        let r = arena.attack(entry, b"8 bytes!");
        assert_eq!(trap_kind(&r).0, TrapKind::HostError, "{entry}: {r:?}");
        assert!(trap_message(&r).contains(what), "{entry}: {}", trap_message(&r));
        assert!(
            r.gas_used < GAS / 10,
            "{entry}: stopped by the cap, not by gas: {r:?}"
        );
        assert!(r.trace.logs.len() <= limits.max_log_lines as usize);
        let again = arena.attack(entry, b"8 bytes!");
        assert_eq!(again, r, "{entry}: deterministic, gas included");
    }
}

#[test]
fn a_rust_panic_reverts_with_its_message() {
    let mut chain = Chain::new();
    let (counter, _) = chain.deploy_wasm(COUNTER, &7u64.encode(), 0);
    let before = dump(&chain.world);
    let r = chain.call(counter, "boom", b"", GAS);
    assert_eq!(r.status, ExecStatus::Revert);
    let message = String::from_utf8(r.return_data).unwrap();
    assert!(
        message.starts_with("panicked at ") && message.ends_with(": boom at 107"),
        "{message}"
    );
    assert_eq!(dump(&chain.world), before);
}
