//! The VM on RocksDB: a contract deployed and called, the node "restarted" (store closed and
//! reopened, a new VM), and the next call served by the persisted artifact with the same outcome
//! and the same gas; contract state survives too, and a corrupt artifact on disk is recompiled.

use std::sync::Arc;

use weft_gas::GasSchedule;
use weft_primitives::{Address, Hash};
use weft_state::{Column, Durability, KvStore, Overlay, RocksStore, SharedStore, WriteBatch};
use weft_vm::{BlockContext, CacheConfig, CallRequest, Frame, Outcome, Vm, World};

const DEPLOYER: Address = Address([0xa1; 32]);

/// A counter: `bump` increments a u32 in storage and returns it.
const COUNTER: &str = r#"(module
    (import "env" "storage_read" (func $storage_read (param i32 i32 i32) (result i32)))
    (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
    (import "env" "read_register" (func $read_register (param i32 i32)))
    (import "env" "return_data" (func $return_data (param i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "count")
    (func (export "bump")
      (if (call $storage_read (i32.const 0) (i32.const 5) (i32.const 1))
        (then (call $read_register (i32.const 1) (i32.const 16))))
      (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
      (call $storage_write (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 4))
      (call $return_data (i32.const 16) (i32.const 4))))"#;

fn open(dir: &std::path::Path) -> (SharedStore, Vm) {
    let store: SharedStore = Arc::new(RocksStore::open(dir).unwrap());
    let vm = Vm::with_cache(
        GasSchedule::default(),
        CacheConfig::default(),
        Some(store.clone()),
    );
    (store, vm)
}

fn bump(vm: &Vm, world: &mut World, contract: Address) -> Outcome {
    let request = CallRequest {
        frame: Frame::outermost(DEPLOYER, contract, 0),
        entry: "bump".into(),
        input: Vec::new(),
        gas_limit: 1_000_000,
    };
    vm.call(world, BlockContext::default(), request).unwrap()
}

fn commit(store: &SharedStore, world: World) {
    let commit = world.commit().unwrap();
    store.write(&commit.batch, Durability::Sync).unwrap();
}

#[test]
fn a_restarted_node_loads_artifacts_and_state_from_rocksdb() {
    let dir = tempfile::tempdir().unwrap();
    let contract = Address::for_contract(&DEPLOYER, 0, &Hash::ZERO);
    let code = wat::parse_str(COUNTER).unwrap();

    // The second bump of a run: it reads a stored count, as every later bump does.
    let first = {
        let (store, vm) = open(dir.path());
        let mut world = Overlay::new(store.clone());
        let frame = Frame::outermost(DEPLOYER, contract, 0);
        let deployed = vm
            .instantiate(
                &mut world,
                BlockContext::default(),
                frame,
                &code,
                Vec::new(),
                10_000_000,
            )
            .unwrap();
        assert!(deployed.is_success(), "{deployed:?}");
        assert_eq!(bump(&vm, &mut world, contract).return_data, 1u32.to_le_bytes());
        let second = bump(&vm, &mut world, contract);
        assert_eq!(second.return_data, 2u32.to_le_bytes());
        commit(&store, world);
        assert_eq!(vm.cache_stats().compiles, 1);
        second
    };

    // Restart: the database is closed (every handle dropped) and reopened by a new VM.
    let (store, vm) = open(dir.path());
    let mut world = Overlay::new(store.clone());
    let third = bump(&vm, &mut world, contract);
    assert_eq!(third.return_data, 3u32.to_le_bytes(), "state survived");
    assert_eq!(
        third.gas_used, first.gas_used,
        "same work, same gas, from the loaded artifact"
    );
    let stats = vm.cache_stats();
    assert_eq!((stats.artifact_loads, stats.compiles), (1, 0));
    commit(&store, world);

    // Corrupt the artifact on disk: the next VM recompiles instead of trusting it.
    let (key, mut value) = store.iter_prefix(Column::Artifacts, b"").next().unwrap().unwrap();
    let last = value.len() - 1;
    value[last] ^= 1;
    let mut batch = WriteBatch::new();
    batch.put(Column::Artifacts, key, value);
    store.write(&batch, Durability::Sync).unwrap();
    drop((store, vm));
    let (store, vm) = open(dir.path());
    let mut world = Overlay::new(store.clone());
    assert_eq!(bump(&vm, &mut world, contract).return_data, 4u32.to_le_bytes());
    let stats = vm.cache_stats();
    assert_eq!((stats.artifacts_rejected, stats.compiles), (1, 1));
}
