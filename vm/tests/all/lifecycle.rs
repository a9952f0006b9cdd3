//! The contract lifecycle: code stored once, contracts created by contracts at the documented
//! address, upgrades with a migration, and the call tree each leaves in its trace.

use crate::common::{Chain, trap_message, wasm};
use weft_primitives::{Address, ExecStatus, FrameKind, FrameStatus, Hash, TraceStep};
use weft_vm::Frame;

/// Its constructor stores its input under "hello" and logs; input "fail" reverts instead.
/// `get` returns what is stored.
const CHILD: &str = r#"
    (func (export "deploy") (local $len i32)
      (call $input (i32.const 1))
      (local.set $len (i32.wrap_i64 (call $register_len (i32.const 1))))
      (call $read_register (i32.const 1) (i32.const 0x100))
      (if (i32.eq (i32.load (i32.const 0x100)) (i32.const 0x6c696166))
        (then (call $revert (i32.const 0x100) (i32.const 4))))
      (call $storage_write (i32.const 0) (i32.const 5) (i32.const 0x100) (local.get $len))
      (call $debug_log (i32.const 0) (i32.const 5)))
    (func (export "get")
      (drop (call $storage_read (i32.const 0) (i32.const 5) (i32.const 2)))
      (call $return_register (i32.const 2)))
"#;

/// `make`: input = code hash(32) ‖ salt(32) ‖ constructor input; creates with no value and all
/// gas, returns status(i32) ‖ address(32) ‖ the register.
const FACTORY: &str = r#"
    (func (export "make") (local $len i32)
      (call $input (i32.const 1))
      (call $read_register (i32.const 1) (i32.const 0x100))
      (local.set $len (i32.wrap_i64 (call $register_len (i32.const 1))))
      (i32.store (i32.const 0x4000)
        (call $create (i32.const 0x100) (i32.const 0x120) (i32.const 0x140)
          (i32.sub (local.get $len) (i32.const 64))
          (i32.const 0x3000) (i64.const -1) (i32.const 0x4004) (i32.const 5)))
      (if (i64.ge_s (call $register_len (i32.const 5)) (i64.const 0))
        (then
          (call $read_register (i32.const 5) (i32.const 0x4024))
          (call $return_data (i32.const 0x4000)
            (i32.add (i32.const 36) (i32.wrap_i64 (call $register_len (i32.const 5))))))
        (else (call $return_data (i32.const 0x4000) (i32.const 36)))))
"#;

/// Version 1: `set` stores its input under "hello", `get` reads it, `version` is "v1", and `up`
/// (input = code hash(32) ‖ migrate input) upgrades, returning the status(i32).
const V1: &str = r#"
    (func (export "set") (local $len i32)
      (call $input (i32.const 1))
      (local.set $len (i32.wrap_i64 (call $register_len (i32.const 1))))
      (call $read_register (i32.const 1) (i32.const 0x100))
      (call $storage_write (i32.const 0) (i32.const 5) (i32.const 0x100) (local.get $len)))
    (func (export "get")
      (drop (call $storage_read (i32.const 0) (i32.const 5) (i32.const 2)))
      (call $return_register (i32.const 2)))
    (func (export "version") (call $return_data (i32.const 0x600) (i32.const 2)))
    (func (export "up") (local $len i32)
      (call $input (i32.const 1))
      (call $read_register (i32.const 1) (i32.const 0x100))
      (local.set $len (i32.wrap_i64 (call $register_len (i32.const 1))))
      (i32.store (i32.const 0x4000)
        (call $upgrade (i32.const 0x100) (i32.const 0x120) (i32.sub (local.get $len) (i32.const 32))
          (i64.const -1) (i32.const 5)))
      (call $return_data (i32.const 0x4000) (i32.const 4)))
    (data (i32.const 0x600) "v1")
"#;

/// Version 2: a new layout — `migrate` moves the value from "hello" to "moved" — and `get`
/// reads "moved"; `version` is "v2".
const V2: &str = r#"
    (func (export "migrate")
      (drop (call $storage_read (i32.const 0) (i32.const 5) (i32.const 2)))
      (call $read_register (i32.const 2) (i32.const 0x100))
      (call $storage_write (i32.const 0x610) (i32.const 5) (i32.const 0x100)
        (i32.wrap_i64 (call $register_len (i32.const 2))))
      (drop (call $storage_remove (i32.const 0) (i32.const 5))))
    (func (export "get")
      (drop (call $storage_read (i32.const 0x610) (i32.const 5) (i32.const 2)))
      (call $return_register (i32.const 2)))
    (func (export "version") (call $return_data (i32.const 0x600) (i32.const 2)))
    (data (i32.const 0x600) "v2")
    (data (i32.const 0x610) "moved")
"#;

/// Version 3: its `migrate` reverts, so an upgrade to it never stands.
const V3: &str = r#"
    (func (export "migrate") (call $revert (i32.const 0) (i32.const 5)))
    (func (export "version") (call $return_data (i32.const 0x600) (i32.const 2)))
    (data (i32.const 0x600) "v3")
"#;

fn status(data: &[u8]) -> i32 {
    i32::from_le_bytes([data[0], data[1], data[2], data[3]])
}

fn make_input(code: Hash, salt: Hash, ctor: &[u8]) -> Vec<u8> {
    [code.as_bytes(), salt.as_bytes(), ctor].concat()
}

fn up_input(code: Hash) -> Vec<u8> {
    code.as_bytes().to_vec()
}

/// A chain with the child's code stored and a factory deployed.
fn factory_chain() -> (Chain, Hash, Address) {
    let mut chain = Chain::new();
    let child = chain.upload(&wasm(CHILD));
    let factory = chain.deploy(FACTORY);
    (chain, child, factory)
}

#[test]
fn an_upload_stores_the_code_once_under_its_hash_and_charges_per_byte() {
    let mut chain = Chain::new();
    let code = wasm(CHILD);
    let outcome = chain.vm.upload(&mut chain.world, &code, 100_000_000).unwrap();
    assert_eq!(outcome.status, ExecStatus::Success);
    assert_eq!(outcome.return_data, weft_primitives::keccak256(&code).0);
    let per_byte = chain.vm.schedule().dynamic.deploy_byte;
    assert_eq!(outcome.gas_used, per_byte * code.len() as u64);
    assert!(outcome.trace.calls.is_none(), "an upload runs no code");
    // The same code again: charged the same, stored once.
    let again = chain.vm.upload(&mut chain.world, &code, 100_000_000).unwrap();
    assert_eq!(
        (again.status, again.gas_used),
        (ExecStatus::Success, outcome.gas_used)
    );
    // Invalid code is refused and stores nothing.
    let refused = chain
        .vm
        .upload(&mut chain.world, b"\0asm\x01\0\0\0junk", 100_000_000)
        .unwrap();
    assert!(
        trap_message(&refused).contains("invalid contract code"),
        "{refused:?}"
    );
    // Not enough gas for the bytes: out of gas, nothing stored.
    let short = chain.vm.upload(&mut chain.world, &wasm(V3), 10).unwrap();
    assert_eq!((short.status, short.gas_used), (ExecStatus::OutOfGas, 10));
    let v3 = weft_primitives::keccak256(&wasm(V3));
    assert_eq!(chain.world.code(&v3).unwrap(), None);
}

#[test]
fn stored_code_is_instantiated_from_its_hash() {
    let mut chain = Chain::new();
    let child = chain.upload(&wasm(CHILD));
    let address = Address([0x77; 32]);
    let frame = Frame::outermost(crate::common::ALICE, address, 0);
    let outcome = chain
        .vm
        .instantiate_stored(
            &mut chain.world,
            chain.block,
            frame.clone(),
            child,
            b"abc".to_vec(),
            10_000_000,
        )
        .unwrap();
    assert_eq!(outcome.status, ExecStatus::Success, "{outcome:?}");
    assert_eq!(chain.call(address, "get", b"", 1_000_000).return_data, b"abc");
    let root = outcome.trace.calls.as_ref().unwrap();
    assert_eq!((root.kind, root.entry.as_str()), (FrameKind::Deploy, "deploy"));
    // The schedule's `create` cost on top of the constructor's gas.
    assert_eq!(
        outcome.gas_used,
        root.gas_used + chain.vm.schedule().dynamic.create
    );

    // Unknown code, and an address that holds a contract, are refused.
    let unknown = chain
        .vm
        .instantiate_stored(
            &mut chain.world,
            chain.block,
            Frame::outermost(crate::common::ALICE, Address([0x78; 32]), 0),
            Hash([9; 32]),
            Vec::new(),
            10_000_000,
        )
        .unwrap();
    assert!(
        trap_message(&unknown).contains("no code is stored"),
        "{unknown:?}"
    );
    let taken = chain
        .vm
        .instantiate_stored(
            &mut chain.world,
            chain.block,
            frame,
            child,
            Vec::new(),
            10_000_000,
        )
        .unwrap();
    assert!(
        trap_message(&taken).contains("already holds a contract"),
        "{taken:?}"
    );
    assert_eq!(chain.call(address, "get", b"", 1_000_000).return_data, b"abc");
}

#[test]
fn a_contract_creates_a_contract_at_the_documented_address() {
    let (mut chain, child, factory) = factory_chain();
    let salt = Hash([5; 32]);
    let outcome = chain.call(factory, "make", &make_input(child, salt, b"abc"), 10_000_000);
    assert_eq!(outcome.status, ExecStatus::Success, "{outcome:?}");
    assert_eq!(status(&outcome.return_data), 0);
    let created = Address::from_slice(&outcome.return_data[4..36]).unwrap();
    assert_eq!(created, Address::for_created(&factory, &child, &salt));
    assert_eq!(chain.world.account(&created).unwrap().code_hash, Some(child));
    assert_eq!(chain.call(created, "get", b"", 1_000_000).return_data, b"abc");

    // The trace: the factory's frame, with the creation as a nested frame that logged.
    let root = outcome.trace.calls.as_ref().unwrap();
    assert_eq!(
        (root.kind, root.contract, root.entry.as_str()),
        (FrameKind::Call, factory, "make")
    );
    let frames: Vec<_> = root.children().collect();
    assert_eq!(frames.len(), 1);
    let creation = frames[0];
    assert_eq!(
        (creation.kind, creation.contract, creation.caller),
        (FrameKind::Create, created, factory)
    );
    assert_eq!((creation.entry.as_str(), creation.input_len), ("deploy", 3));
    assert_eq!(creation.status, FrameStatus::Success);
    assert!(creation.gas_used > 0 && creation.gas_used < root.gas_used);
    assert_eq!(creation.steps, vec![TraceStep::Log("hello".into())]);
    let count = |frame: &weft_primitives::CallTrace, name: &str| {
        frame
            .host_calls
            .iter()
            .find(|c| c.name == name)
            .map_or(0, |c| c.count)
    };
    assert_eq!(count(root, "create"), 1);
    assert_eq!(count(creation, "storage_write"), 1);
    assert_eq!(count(creation, "create"), 0, "counts are per frame");
}

#[test]
fn the_same_salt_twice_is_refused_and_the_first_contract_stays() {
    let (mut chain, child, factory) = factory_chain();
    let salt = Hash([5; 32]);
    let first = chain.call(factory, "make", &make_input(child, salt, b"one"), 10_000_000);
    assert_eq!(status(&first.return_data), 0);
    let second = chain.call(factory, "make", &make_input(child, salt, b"two"), 10_000_000);
    assert_eq!(second.status, ExecStatus::Success);
    assert_eq!(status(&second.return_data), 3, "refused");
    let created = Address::for_created(&factory, &child, &salt);
    assert_eq!(&second.return_data[4..36], created.as_bytes());
    assert_eq!(chain.call(created, "get", b"", 1_000_000).return_data, b"one");
    let refused = second.trace.calls.unwrap().children().next().cloned().unwrap();
    assert_eq!((refused.status, refused.gas_used), (FrameStatus::Refused, 0));
    assert!(refused.trap.unwrap().message.contains("already holds a contract"));
    // Another salt is another contract.
    let other = chain.call(
        factory,
        "make",
        &make_input(child, Hash([6; 32]), b"two"),
        10_000_000,
    );
    assert_eq!(status(&other.return_data), 0);
}

#[test]
fn a_failed_constructor_or_unknown_code_leaves_nothing() {
    let (mut chain, child, factory) = factory_chain();
    let salt = Hash([5; 32]);
    let factory_before = chain.world.account(&factory).unwrap();
    let failed = chain.call(factory, "make", &make_input(child, salt, b"fail"), 10_000_000);
    assert_eq!(failed.status, ExecStatus::Success, "the factory goes on");
    assert_eq!(status(&failed.return_data), 1, "the constructor reverted");
    assert_eq!(&failed.return_data[36..], b"fail", "its revert data");
    let created = Address::for_created(&factory, &child, &salt);
    assert_eq!(chain.world.account(&created).unwrap(), Default::default());
    assert_eq!(chain.world.storage(&created, b"hello").unwrap(), None);
    let frame = failed.trace.calls.unwrap().children().next().cloned().unwrap();
    assert_eq!(frame.status, FrameStatus::Revert);

    let unknown = chain.call(
        factory,
        "make",
        &make_input(Hash([9; 32]), salt, b"x"),
        10_000_000,
    );
    assert_eq!(status(&unknown.return_data), 3);
    let unknown_address = Address::for_created(&factory, &Hash([9; 32]), &salt);
    assert_eq!(chain.world.account(&unknown_address).unwrap(), Default::default());
    assert_eq!(chain.world.account(&factory).unwrap(), factory_before);
}

#[test]
fn an_upgrade_runs_migrate_keeps_state_and_takes_effect_from_the_next_call() {
    let mut chain = Chain::new();
    let v2 = chain.upload(&wasm(V2));
    let contract = chain.deploy(V1);
    chain.call(contract, "set", b"kept", 1_000_000);
    let balance = chain.balance(&contract);
    let up = chain.call(contract, "up", &up_input(v2), 10_000_000);
    assert_eq!(up.status, ExecStatus::Success, "{up:?}");
    assert_eq!(status(&up.return_data), 0);
    assert_eq!(chain.world.account(&contract).unwrap().code_hash, Some(v2));
    assert_eq!(chain.call(contract, "version", b"", 1_000_000).return_data, b"v2");
    // The migration rewrote the layout: the value moved from "hello" to "moved".
    assert_eq!(chain.call(contract, "get", b"", 1_000_000).return_data, b"kept");
    assert_eq!(chain.world.storage(&contract, b"hello").unwrap(), None);
    assert_eq!(chain.balance(&contract), balance);
    let migration = up.trace.calls.unwrap().children().next().cloned().unwrap();
    assert_eq!(
        (migration.kind, migration.entry.as_str()),
        (FrameKind::Migrate, "migrate")
    );
    assert_eq!((migration.caller, migration.contract), (contract, contract));
    assert_eq!(migration.status, FrameStatus::Success);
    // `migrate` is not an entry point anyone can call.
    let direct = chain.call(contract, "migrate", b"", 1_000_000);
    assert!(
        trap_message(&direct).contains("runs only in an upgrade"),
        "{direct:?}"
    );
}

#[test]
fn a_failed_migration_or_unknown_code_leaves_the_old_code() {
    let mut chain = Chain::new();
    let v3 = chain.upload(&wasm(V3));
    let contract = chain.deploy(V1);
    let v1 = chain.world.account(&contract).unwrap().code_hash;
    let up = chain.call(contract, "up", &up_input(v3), 10_000_000);
    assert_eq!(status(&up.return_data), 1, "migrate reverted");
    assert_eq!(chain.world.account(&contract).unwrap().code_hash, v1);
    assert_eq!(chain.call(contract, "version", b"", 1_000_000).return_data, b"v1");
    let unknown = chain.call(contract, "up", &up_input(Hash([9; 32])), 10_000_000);
    assert_eq!(status(&unknown.return_data), 3);
    assert_eq!(chain.world.account(&contract).unwrap().code_hash, v1);
}

#[test]
fn an_upgrade_to_code_without_migrate_stands_at_once() {
    let mut chain = Chain::new();
    let child = chain.upload(&wasm(CHILD));
    let contract = chain.deploy(V1);
    let up = chain.call(contract, "up", &up_input(child), 10_000_000);
    assert_eq!(status(&up.return_data), 0);
    assert_eq!(chain.world.account(&contract).unwrap().code_hash, Some(child));
}

#[test]
fn traces_are_the_same_on_every_run() {
    let run = || {
        let (mut chain, child, factory) = factory_chain();
        let outcome = chain.call(
            factory,
            "make",
            &make_input(child, Hash([5; 32]), b"abc"),
            10_000_000,
        );
        outcome.trace
    };
    assert_eq!(run(), run());
}

#[test]
fn arguments_for_code_without_a_constructor_or_migrate_are_refused_not_dropped() {
    let mut chain = Chain::new();
    // V3 has no `deploy`: a deploy with arguments is refused, one without them succeeds.
    let (address, outcome) = chain.deploy_wasm(&wasm(V3), b"args", 0);
    assert!(
        trap_message(&outcome).contains("no `deploy` export to take the 4 bytes"),
        "{outcome:?}"
    );
    assert_eq!(chain.world.account(&address).unwrap().code_hash, None);
    let (_, plain) = chain.deploy_wasm(&wasm(V3), b"", 0);
    assert_eq!(plain.status, ExecStatus::Success);
    // CHILD has no `migrate`: an upgrade to it with migrate input is refused, the old code stays.
    let child = chain.upload(&wasm(CHILD));
    let contract = chain.deploy(V1);
    let v1 = chain.world.account(&contract).unwrap().code_hash;
    let up = chain.call(
        contract,
        "up",
        &[child.as_bytes().as_slice(), b"x"].concat(),
        10_000_000,
    );
    assert_eq!(status(&up.return_data), 3, "refused");
    assert_eq!(chain.world.account(&contract).unwrap().code_hash, v1);
}
