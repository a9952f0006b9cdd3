//! Every host function through real WAT contracts on Wasmer singlepass, with its gas and its traps.

use crate::common::{ALICE, Chain, FUNDS, run, trap_kind, trap_message};
use ed25519_dalek::Signer;
use sha2::Digest;
use weft_primitives::{Address, ExecStatus, Hash, TrapKind, keccak256};

/// Reads the input into register 1 and copies it to 0x100.
const INPUT_AT_0X100: &str = r#"
    (func $input_at_0x100 (result i32)
      (call $input (i32.const 1))
      (call $read_register (i32.const 1) (i32.const 0x100))
      (i32.wrap_i64 (call $register_len (i32.const 1))))
    (func $return_i32 (param $v i32)
      (i32.store (i32.const 0x80) (local.get $v))
      (call $return_data (i32.const 0x80) (i32.const 4)))
"#;

fn with_input(body: &str) -> String {
    format!("{INPUT_AT_0X100} {body}")
}

fn storage_contract() -> String {
    with_input(
        r#"
    ;; input: 4-byte key ‖ value
    (func (export "put") (local $len i32)
      (local.set $len (call $input_at_0x100))
      (call $storage_write (i32.const 0x100) (i32.const 4) (i32.const 0x104) (i32.sub (local.get $len) (i32.const 4))))
    ;; input: key; returns the value, reverts "hello" if absent
    (func (export "get")
      (if (i32.eqz (call $storage_read (i32.const 0x100) (call $input_at_0x100) (i32.const 2)))
        (then (call $revert (i32.const 0) (i32.const 5))))
      (call $return_register (i32.const 2)))
    (func (export "has") (call $return_i32 (call $storage_has (i32.const 0x100) (call $input_at_0x100))))
    (func (export "remove") (call $return_i32 (call $storage_remove (i32.const 0x100) (call $input_at_0x100))))
    (func (export "big_key") (call $storage_write (i32.const 0) (i32.const 1025) (i32.const 0) (i32.const 1)))
    (func (export "big_value") (call $storage_write (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 65537)))
    (func (export "oob_value") (call $storage_write (i32.const 0) (i32.const 1) (i32.const 65535) (i32.const 2)))
    (func (export "wrap_key") (call $storage_write (i32.const -16) (i32.const 32) (i32.const 0) (i32.const 1)))
    "#,
    )
}

#[test]
fn storage_round_trips_between_calls_and_charges_per_byte() {
    let mut chain = Chain::new();
    let c = chain.deploy(&storage_contract());
    assert_eq!(
        chain.call(c, "has", b"key1", 1_000_000).return_data,
        0i32.to_le_bytes()
    );
    let absent = chain.call(c, "get", b"key1", 1_000_000);
    assert_eq!(
        (absent.status, absent.return_data),
        (ExecStatus::Revert, b"hello".to_vec())
    );
    let short = chain.call(c, "put", b"key1v", 1_000_000);
    let long = chain.call(c, "put", b"key1value-longer", 1_000_000);
    assert!(short.is_success() && long.is_success());
    let schedule = chain.vm.schedule().dynamic.clone();
    // 11 more value bytes, each charged at the write rate and at the host-byte rate of `input`.
    assert_eq!(
        long.gas_used - short.gas_used,
        11 * (schedule.storage_write_byte + 2 * schedule.host_byte)
    );
    assert_eq!(
        chain.call(c, "get", b"key1", 1_000_000).return_data,
        b"value-longer"
    );
    assert_eq!(
        chain.call(c, "has", b"key1", 1_000_000).return_data,
        1i32.to_le_bytes()
    );
    assert_eq!(
        chain.world.storage(&c, b"key1").unwrap(),
        Some(b"value-longer".to_vec())
    );
    assert_eq!(
        chain.call(c, "remove", b"key1", 1_000_000).return_data,
        1i32.to_le_bytes()
    );
    assert_eq!(
        chain.call(c, "remove", b"key1", 1_000_000).return_data,
        0i32.to_le_bytes()
    );
    assert_eq!(chain.world.storage(&c, b"key1").unwrap(), None);
}

#[test]
fn storage_limits_and_bad_pointers_trap_and_write_nothing() {
    let mut chain = Chain::new();
    let c = chain.deploy(&storage_contract());
    for (entry, expected) in [
        ("big_key", "storage key (1025) exceeds the limit of 1024"),
        ("big_value", "storage value (65537)"),
        ("oob_value", "out of bounds"),
        ("wrap_key", "out of bounds"),
    ] {
        let r = chain.call(c, entry, b"", 10_000_000);
        assert_eq!(trap_kind(&r).0, TrapKind::HostError, "{entry}");
        assert!(trap_message(&r).contains(expected), "{entry}: {r:?}");
    }
    let storage = chain
        .world
        .iter_prefix(weft_state::Column::Storage, c.as_bytes())
        .unwrap();
    assert!(storage.is_empty());
}

#[test]
fn out_of_gas_inside_a_storage_write_keeps_nothing() {
    let mut chain = Chain::new();
    let c = chain.deploy(&storage_contract());
    // Enough for the wasm and the `input` call, not for the write's 10,000 base cost.
    let r = chain.call(c, "put", b"key1value", 5_000);
    assert_eq!((r.status, r.gas_used), (ExecStatus::OutOfGas, 5_000));
    assert_eq!(chain.world.storage(&c, b"key1").unwrap(), None);
}

#[test]
fn context_functions_see_the_frame_and_the_block() {
    let mut chain = Chain::new();
    let c = chain.deploy(
        r#"(func (export "ctx")
          (call $caller (i32.const 0x100))
          (call $self_address (i32.const 0x120))
          (call $origin (i32.const 0x140))
          (call $value_received (i32.const 0x160))
          (call $balance (i32.const 0x170))
          (i64.store (i32.const 0x180) (call $block_height))
          (i64.store (i32.const 0x188) (call $block_timestamp))
          (i64.store (i32.const 0x190) (call $chain_id))
          (call $balance_of (i32.const 0x100) (i32.const 0x198))
          (call $return_data (i32.const 0x100) (i32.const 0xa8)))"#,
    );
    let r = chain.call_with_value(c, "ctx", b"", 99, 1_000_000);
    assert!(r.is_success(), "{r:?}");
    let d = &r.return_data;
    assert_eq!(&d[..32], ALICE.as_bytes());
    assert_eq!(&d[32..64], c.as_bytes());
    assert_eq!(&d[64..96], ALICE.as_bytes());
    assert_eq!(&d[96..112], &99u128.to_le_bytes());
    assert_eq!(
        &d[112..128],
        &99u128.to_le_bytes(),
        "the value is credited before the code runs"
    );
    assert_eq!(&d[128..136], &42u64.to_le_bytes());
    assert_eq!(&d[136..144], &1_750_000_000u64.to_le_bytes());
    assert_eq!(&d[144..152], &7u64.to_le_bytes());
    assert_eq!(&d[152..168], &(FUNDS - 99).to_le_bytes());
    assert_eq!(chain.balance(&c), 99);
}

#[test]
fn a_failed_call_returns_its_value() {
    let mut chain = Chain::new();
    let c = chain.deploy(r#"(func (export "f") unreachable)"#);
    let r = chain.call_with_value(c, "f", b"", 500, 1_000_000);
    assert_eq!(trap_kind(&r).0, TrapKind::Unreachable);
    assert_eq!((chain.balance(&c), chain.balance(&ALICE)), (0, FUNDS));
    let r = chain.call_with_value(c, "f", b"", FUNDS + 1, 1_000_000);
    assert!(trap_message(&r).contains("cannot pay"), "{r:?}");
    assert_eq!(r.gas_used, 0);
}

#[test]
fn transfers_move_the_contracts_own_balance() {
    let mut chain = Chain::new();
    let body = with_input(
        r#"(func (export "pay") (drop (call $input_at_0x100)) (call $return_i32 (call $transfer (i32.const 0x100) (i32.const 0x120))))"#,
    );
    let (c, deployed) = chain.deploy_wasm(&crate::common::wasm(&body), b"", 1_000);
    assert!(
        deployed.is_success(),
        "a deploy without a constructor still takes the value"
    );
    assert_eq!(chain.balance(&c), 1_000);
    let bob = Address([0xb0; 32]);
    let pay = |amount: u128| [bob.as_bytes().as_slice(), &amount.to_le_bytes()].concat();
    assert_eq!(
        chain.call(c, "pay", &pay(300), 1_000_000).return_data,
        0i32.to_le_bytes()
    );
    assert_eq!(
        chain.call(c, "pay", &pay(701), 1_000_000).return_data,
        1i32.to_le_bytes()
    );
    assert_eq!((chain.balance(&c), chain.balance(&bob)), (700, 300));
}

#[test]
fn events_are_kept_on_success_only() {
    let mut chain = Chain::new();
    let c = chain.deploy(&with_input(
        r#"
        (func $emit (drop (call $input_at_0x100)) (call $emit_event (i32.const 0x100) (i32.const 2) (i32.const 0) (i32.const 5)))
        (func (export "emit") (call $emit))
        (func (export "emit_then_revert") (call $emit) (call $revert (i32.const 0) (i32.const 0)))
        (func (export "five_topics") (call $emit_event (i32.const 0) (i32.const 5) (i32.const 0) (i32.const 0)))"#,
    ));
    let topics = [[1u8; 32], [2u8; 32]].concat();
    let r = chain.call(c, "emit", &topics, 1_000_000);
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].address, c);
    assert_eq!(r.events[0].topics, vec![Hash([1; 32]), Hash([2; 32])]);
    assert_eq!(r.events[0].data, b"hello");
    let r = chain.call(c, "emit_then_revert", &topics, 1_000_000);
    assert_eq!((r.status, r.events.len()), (ExecStatus::Revert, 0));
    let r = chain.call(c, "five_topics", b"", 1_000_000);
    assert!(
        trap_message(&r).contains("event topic count (5) exceeds the limit of 4"),
        "{r:?}"
    );
}

fn crypto_contract() -> String {
    with_input(
        r#"
        (func (export "keccak") (call $keccak256 (i32.const 0x100) (call $input_at_0x100) (i32.const 0x40))
          (call $return_data (i32.const 0x40) (i32.const 32)))
        (func (export "sha") (call $sha256 (i32.const 0x100) (call $input_at_0x100) (i32.const 0x40))
          (call $return_data (i32.const 0x40) (i32.const 32)))
        ;; input: signature(64) ‖ key(32) ‖ message
        (func (export "ed") (local $len i32) (local.set $len (call $input_at_0x100))
          (call $return_i32 (call $ed25519_verify (i32.const 0x100) (i32.const 0x140) (i32.const 0x160)
            (i32.sub (local.get $len) (i32.const 96)))))
        ;; input: hash(32) ‖ signature(64) ‖ recovery id(1)
        (func (export "recover") (drop (call $input_at_0x100))
          (if (i32.eqz (call $secp256k1_recover (i32.const 0x100) (i32.const 0x120) (i32.load8_u (i32.const 0x160)) (i32.const 0x200)))
            (then (call $revert (i32.const 0) (i32.const 0))))
          (call $return_data (i32.const 0x200) (i32.const 64)))
        (func (export "hash_oob") (call $keccak256 (i32.const 0) (i32.const 3) (i32.const 65530)))"#,
    )
}

#[test]
fn crypto_functions_match_the_reference_implementations() {
    let mut chain = Chain::new();
    let c = chain.deploy(&crypto_contract());
    let data = b"the quick brown fox".as_slice();
    assert_eq!(
        chain.call(c, "keccak", data, 10_000_000).return_data,
        keccak256(data).as_bytes()
    );
    assert_eq!(
        chain.call(c, "sha", data, 10_000_000).return_data,
        sha2::Sha256::digest(data).as_slice()
    );

    let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let signed = |message: &[u8], signature: ed25519_dalek::Signature| {
        [
            signature.to_bytes().as_slice(),
            key.verifying_key().as_bytes(),
            message,
        ]
        .concat()
    };
    let good = signed(b"pay bob", key.sign(b"pay bob"));
    assert_eq!(
        chain.call(c, "ed", &good, 10_000_000).return_data,
        1i32.to_le_bytes()
    );
    let forged = signed(b"pay eve", key.sign(b"pay bob"));
    assert_eq!(
        chain.call(c, "ed", &forged, 10_000_000).return_data,
        0i32.to_le_bytes()
    );

    let secp = k256::ecdsa::SigningKey::from_bytes(&[9u8; 32].into()).unwrap();
    let hash = keccak256(b"message");
    let (signature, id) = secp.sign_prehash_recoverable(hash.as_bytes()).unwrap();
    let input = [hash.as_bytes().as_slice(), &signature.to_bytes(), &[id.to_byte()]].concat();
    let r = chain.call(c, "recover", &input, 10_000_000);
    assert_eq!(
        r.return_data,
        &secp.verifying_key().to_encoded_point(false).as_bytes()[1..]
    );
    let mut bad = input.clone();
    bad[96] = 7;
    assert_eq!(
        chain.call(c, "recover", &bad, 10_000_000).status,
        ExecStatus::Revert
    );

    let r = chain.call(c, "hash_oob", b"", 10_000_000);
    assert_eq!(trap_kind(&r).0, TrapKind::HostError);
    // Signature checks are priced as the schedule says: the ed25519 call alone costs its base.
    let costs = chain.vm.schedule().dynamic.clone();
    assert!(chain.call(c, "ed", &good, 10_000_000).gas_used > costs.ed25519_verify);
    let r = chain.call(c, "ed", &good, costs.ed25519_verify);
    assert_eq!(r.status, ExecStatus::OutOfGas);
}

#[test]
fn the_constructor_runs_once_at_deploy_and_its_failure_undoes_the_deploy() {
    let body = with_input(
        r#"(func (export "deploy") (local $len i32)
             (local.set $len (call $input_at_0x100))
             (if (i32.eqz (local.get $len)) (then unreachable))
             (call $storage_write (i32.const 0) (i32.const 5) (i32.const 0x100) (local.get $len)))
           (func (export "get") (drop (call $storage_read (i32.const 0) (i32.const 5) (i32.const 2)))
             (call $return_register (i32.const 2)))"#,
    );
    let code = crate::common::wasm(&body);
    let mut chain = Chain::new();
    let (c, deployed) = chain.deploy_wasm(&code, b"init", 10);
    assert!(deployed.is_success(), "{deployed:?}");
    assert!(deployed.gas_used >= chain.vm.schedule().dynamic.deploy_byte * code.len() as u64);
    assert_eq!(chain.call(c, "get", b"", 1_000_000).return_data, b"init");
    let again = chain.call(c, "deploy", b"x", 1_000_000);
    assert!(trap_message(&again).contains("constructor"), "{again:?}");

    let (failed, outcome) = chain.deploy_wasm(&code, b"", 10);
    assert_eq!(trap_kind(&outcome).0, TrapKind::Unreachable);
    let account = chain.world.account(&failed).unwrap();
    assert_eq!(
        account,
        weft_primitives::Account::default(),
        "no code, no value, nothing"
    );
    assert_eq!(chain.balance(&ALICE), FUNDS - 10);

    let (_, invalid) = chain.deploy_wasm(b"\0asm\x01\0\0\0garbage", b"", 0);
    assert!(
        trap_message(&invalid).contains("invalid contract code"),
        "{invalid:?}"
    );
}

#[test]
fn identical_runs_use_identical_gas_and_produce_identical_outcomes() {
    let body = storage_contract();
    let first = run(&body, "put", b"key1value", 1_000_000);
    for _ in 0..3 {
        assert_eq!(run(&body, "put", b"key1value", 1_000_000), first);
    }
}
