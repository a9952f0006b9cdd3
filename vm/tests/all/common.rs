//! A small chain for the VM's tests: a `MemStore` world with a funded account, contracts written
//! in WAT against every host import, deployed and called through `Vm::instantiate` / `Vm::call`.
#![allow(clippy::unwrap_used)] // test helpers

use std::sync::Arc;

use weft_gas::GasSchedule;
use weft_primitives::{Account, Address, Balance, ExecStatus, Hash, TrapKind};
use weft_state::{MemStore, Overlay, SharedStore};
use weft_vm::{BlockContext, CallRequest, Frame, Outcome, Vm, World};

/// The funded account that sends every transaction.
pub const ALICE: Address = Address([0xa1; 32]);
/// Alice's starting balance.
pub const FUNDS: Balance = 1_000_000_000;

/// Every host import, a one-page memory, and "hello from wasm" at address 0.
pub const IMPORTS: &str = r#"
    (import "env" "input" (func $input (param i32)))
    (import "env" "register_len" (func $register_len (param i32) (result i64)))
    (import "env" "read_register" (func $read_register (param i32 i32)))
    (import "env" "return_data" (func $return_data (param i32 i32)))
    (import "env" "revert" (func $revert (param i32 i32)))
    (import "env" "abort" (func $abort (param i32 i32)))
    (import "env" "debug_log" (func $debug_log (param i32 i32)))
    (import "env" "storage_read" (func $storage_read (param i32 i32 i32) (result i32)))
    (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
    (import "env" "storage_remove" (func $storage_remove (param i32 i32) (result i32)))
    (import "env" "storage_has" (func $storage_has (param i32 i32) (result i32)))
    (import "env" "caller" (func $caller (param i32)))
    (import "env" "self_address" (func $self_address (param i32)))
    (import "env" "origin" (func $origin (param i32)))
    (import "env" "block_height" (func $block_height (result i64)))
    (import "env" "block_timestamp" (func $block_timestamp (result i64)))
    (import "env" "chain_id" (func $chain_id (result i64)))
    (import "env" "value_received" (func $value_received (param i32)))
    (import "env" "balance" (func $balance (param i32)))
    (import "env" "balance_of" (func $balance_of (param i32 i32)))
    (import "env" "gas_left" (func $gas_left (result i64)))
    (import "env" "transfer" (func $transfer (param i32 i32) (result i32)))
    (import "env" "emit_event" (func $emit_event (param i32 i32 i32 i32)))
    (import "env" "keccak256" (func $keccak256 (param i32 i32 i32)))
    (import "env" "sha256" (func $sha256 (param i32 i32 i32)))
    (import "env" "ed25519_verify" (func $ed25519_verify (param i32 i32 i32 i32) (result i32)))
    (import "env" "secp256k1_recover" (func $secp256k1_recover (param i32 i32 i32 i32) (result i32)))
    (import "env" "call" (func $call (param i32 i32 i32 i32 i32 i32 i64 i32) (result i32)))
    (import "env" "create" (func $create (param i32 i32 i32 i32 i32 i64 i32 i32) (result i32)))
    (import "env" "upgrade" (func $upgrade (param i32 i32 i32 i64 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "hello from wasm")
    ;; Returns register $r as the call's return data (copied through address 0x8000).
    (func $return_register (param $r i32)
      (call $read_register (local.get $r) (i32.const 0x8000))
      (call $return_data (i32.const 0x8000) (i32.wrap_i64 (call $register_len (local.get $r)))))
"#;

/// A module of [`IMPORTS`] and `body`.
pub fn wasm(body: &str) -> Vec<u8> {
    wat::parse_str(format!("(module {IMPORTS} {body})")).unwrap()
}

/// A world, a VM and a block.
pub struct Chain {
    pub vm: Vm,
    pub world: World,
    pub block: BlockContext,
    deployed: u64,
}

impl Chain {
    /// A chain with the default schedule and Alice funded.
    pub fn new() -> Self {
        Self::with_vm(Vm::new(GasSchedule::default()))
    }

    /// A chain running on `vm`.
    pub fn with_vm(vm: Vm) -> Self {
        let store: SharedStore = Arc::new(MemStore::new());
        let mut world = Overlay::new(store);
        let alice = Account {
            balance: FUNDS,
            ..Account::default()
        };
        world.set_account(&ALICE, &alice);
        let block = BlockContext {
            height: 42,
            timestamp: 1_750_000_000,
            chain_id: 7,
        };
        Self {
            vm,
            world,
            block,

            deployed: 0,
        }
    }

    /// Deploys `code` from Alice with `input` and `value`, returning its address and the outcome.
    pub fn deploy_wasm(&mut self, code: &[u8], input: &[u8], value: Balance) -> (Address, Outcome) {
        self.deploy_from(ALICE, code, input, value)
    }

    /// Deploys `code` from `from` with `input` and `value`, returning its address and the outcome.
    pub fn deploy_from(
        &mut self,
        from: Address,
        code: &[u8],
        input: &[u8],
        value: Balance,
    ) -> (Address, Outcome) {
        self.deployed += 1;
        let address = Address::for_contract(&from, self.deployed, &Hash::ZERO);
        let frame = Frame::outermost(from, address, value);
        let outcome = self
            .vm
            .instantiate(
                &mut self.world,
                self.block,
                frame,
                code,
                input.to_vec(),
                100_000_000,
            )
            .unwrap();
        (address, outcome)
    }

    /// Stores `code` for later deploys (an upload), returning its hash.
    pub fn upload(&mut self, code: &[u8]) -> Hash {
        let outcome = self.vm.upload(&mut self.world, code, 100_000_000).unwrap();
        assert_eq!(outcome.status, ExecStatus::Success, "{outcome:?}");
        Hash::from_slice(&outcome.return_data).unwrap()
    }

    /// Deploys a WAT body, which must succeed.
    pub fn deploy(&mut self, body: &str) -> Address {
        let (address, outcome) = self.deploy_wasm(&wasm(body), b"", 0);
        assert_eq!(outcome.status, ExecStatus::Success, "{outcome:?}");
        address
    }

    /// Calls `entry` of `to` from Alice with `value`.
    pub fn call_with_value(
        &mut self,
        to: Address,
        entry: &str,
        input: &[u8],
        value: Balance,
        gas: u64,
    ) -> Outcome {
        self.call_from(ALICE, to, entry, input, value, gas)
    }

    /// Calls `entry` of `to` from `from` with `value`.
    pub fn call_from(
        &mut self,
        from: Address,
        to: Address,
        entry: &str,
        input: &[u8],
        value: Balance,
        gas: u64,
    ) -> Outcome {
        let request = CallRequest {
            frame: Frame::outermost(from, to, value),
            entry: entry.into(),
            input: input.to_vec(),
            gas_limit: gas,
        };
        self.vm.call(&mut self.world, self.block, request).unwrap()
    }

    /// Calls `entry` of `to` from Alice.
    pub fn call(&mut self, to: Address, entry: &str, input: &[u8], gas: u64) -> Outcome {
        self.call_with_value(to, entry, input, 0, gas)
    }

    /// The balance of `address`.
    pub fn balance(&self, address: &Address) -> Balance {
        self.world.account(address).unwrap().balance
    }
}

/// Deploys `body` on a fresh chain and calls `entry` once.
pub fn run(body: &str, entry: &str, input: &[u8], gas: u64) -> Outcome {
    let mut chain = Chain::new();
    let address = chain.deploy(body);
    chain.call(address, entry, input, gas)
}

/// The kind and function of a trap; panics on any other status.
pub fn trap_kind(outcome: &Outcome) -> (TrapKind, Option<String>) {
    match &outcome.status {
        ExecStatus::Trap { kind } => (*kind, trap_detail(outcome).function.clone()),
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// The message of a trap; panics on any other status.
pub fn trap_message(outcome: &Outcome) -> String {
    match &outcome.status {
        ExecStatus::Trap { .. } => trap_detail(outcome).message.clone(),
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// The trace's detail of a trap; panics if the trace has none.
fn trap_detail(outcome: &Outcome) -> &weft_primitives::TrapDetail {
    outcome
        .trace
        .trap
        .as_ref()
        .unwrap_or_else(|| panic!("a trap without its detail in the trace: {outcome:?}"))
}
