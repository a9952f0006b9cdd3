//! The VM, side by side with raw Wasmer singlepass running the same module without metering:
//!
//! - `compile`: validate + instrument + singlepass compile, per module size (throughput in bytes);
//! - `call/empty`: a cached module, a fresh instance and an empty entry point, Weft vs raw;
//! - `kernel/keccak` and `kernel/fib`: a compute kernel (64 keccak256 of 1 KiB, the `sha3` crate
//!   compiled to wasm) and a call-heavy one (recursive fib(25)), Weft vs raw: the metering overhead;
//! - `storage`: a host-heavy kernel, 100 storage reads (committed keys, from RocksDB) or 100
//!   writes (then committed to RocksDB) per call.
//!
//! Each raw iteration does what each Weft call does: a new `Store`, `Instance::new`, one call.

use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use wasmer::{Engine, Function, Instance, Module, Store, imports};
use weft_benches::{STORAGE_WAT, StorageBench, synthetic_module};
use weft_gas::GasSchedule;
use weft_primitives::{Address, Hash};
use weft_state::{Durability, KvStore, Overlay, RocksStore, SharedStore};
use weft_vm::{BlockContext, CallRequest, Frame, Vm, World};

const KERNELS: &[u8] = include_bytes!("../../contracts/artifacts/bench_kernels.wasm");
const DEPLOYER: Address = Address([0xa1; 32]);
const GAS: u64 = 10_000_000_000;

/// A VM, a world over `store`, and contracts deployed into it (committed).
struct Bench {
    vm: Vm,
    world: World,
    store: SharedStore,
}

impl Bench {
    fn new(store: SharedStore) -> Self {
        Self {
            vm: Vm::new(GasSchedule::default()),
            world: Overlay::new(store.clone()),
            store,
        }
    }

    fn deploy(&mut self, code: &[u8], salt: u8) -> Address {
        let address = Address::for_contract(&DEPLOYER, 0, &Hash([salt; 32]));
        let frame = Frame::outermost(DEPLOYER, address, 0);
        let outcome = self
            .vm
            .instantiate(
                &mut self.world,
                BlockContext::default(),
                frame,
                code,
                Vec::new(),
                GAS,
            )
            .expect("no fault");
        assert!(outcome.is_success(), "{outcome:?}");
        self.commit();
        address
    }

    fn commit(&mut self) {
        let world = std::mem::replace(&mut self.world, Overlay::new(self.store.clone()));
        let commit = world.commit().expect("commit");
        self.store
            .write(&commit.batch, Durability::Buffered)
            .expect("write");
    }

    fn call(&mut self, to: Address, entry: &str) -> Vec<u8> {
        let request = CallRequest {
            frame: Frame::outermost(DEPLOYER, to, 0),
            entry: entry.into(),
            input: Vec::new(),
            gas_limit: GAS,
        };
        let outcome = self
            .vm
            .call(&mut self.world, BlockContext::default(), request)
            .expect("no fault");
        assert!(outcome.is_success(), "{entry}: {outcome:?}");
        outcome.return_data
    }
}

/// The same module on raw Wasmer singlepass: no instrumentation, a stub `return_data`.
struct Raw {
    engine: Engine,
    module: Module,
}

impl Raw {
    fn new(wasm: &[u8]) -> Self {
        let engine = Engine::from(wasmer::sys::Singlepass::default());
        let module = Module::new(&engine, wasm).expect("raw compile");
        Self { engine, module }
    }

    fn call(&self, entry: &str) {
        let mut store = Store::new(self.engine.clone());
        let return_data = Function::new_typed(&mut store, |_: i32, _: i32| {});
        let imports = imports! { "env" => { "return_data" => return_data } };
        let instance = Instance::new(&mut store, &self.module, &imports).expect("instantiate");
        let function = instance.exports.get_function(entry).expect("entry");
        function.call(&mut store, &[]).expect("raw call");
    }
}

fn memory_world() -> SharedStore {
    Arc::new(weft_state::MemStore::new())
}

fn compile(c: &mut Criterion) {
    let vm = Vm::new(GasSchedule::default());
    let mut group = c.benchmark_group("compile");
    group.sample_size(20);
    for (name, wasm) in [
        ("small", synthetic_module(8, 8)),
        ("medium", synthetic_module(200, 16)),
        ("large", synthetic_module(700, 50)),
        ("bench_kernels", KERNELS.to_vec()),
    ] {
        group.throughput(Throughput::Bytes(wasm.len() as u64));
        group.bench_function(BenchmarkId::new(name, format!("{} B", wasm.len())), |b| {
            b.iter(|| vm.compile(&wasm).expect("compiles"))
        });
    }
    group.finish();
}

fn calls(c: &mut Criterion) {
    let mut bench = Bench::new(memory_world());
    let storage = wat::parse_str(STORAGE_WAT).expect("wat");
    let empty = bench.deploy(&storage, 1);
    let kernels = bench.deploy(KERNELS, 2);

    let mut group = c.benchmark_group("call/empty");
    group.bench_function("weft", |b| b.iter(|| bench.call(empty, "noop")));
    let raw_storage = {
        // The raw baseline needs the storage imports stubbed too.
        let engine = Engine::from(wasmer::sys::Singlepass::default());
        let module = Module::new(&engine, &storage).expect("raw compile");
        (engine, module)
    };
    group.bench_function("raw_wasmer", |b| {
        b.iter(|| {
            let mut store = Store::new(raw_storage.0.clone());
            let read = Function::new_typed(&mut store, |_: i32, _: i32, _: i32| 0i32);
            let write = Function::new_typed(&mut store, |_: i32, _: i32, _: i32, _: i32| {});
            let imports = imports! { "env" => { "storage_read" => read, "storage_write" => write } };
            let instance = Instance::new(&mut store, &raw_storage.1, &imports).expect("instantiate");
            let noop = instance.exports.get_function("noop").expect("entry");
            noop.call(&mut store, &[]).expect("call");
        })
    });
    group.finish();

    let raw = Raw::new(KERNELS);
    for kernel in ["keccak", "fib"] {
        let mut group = c.benchmark_group(format!("kernel/{kernel}"));
        group.sample_size(30);
        group.bench_function("weft", |b| b.iter(|| bench.call(kernels, kernel)));
        group.bench_function("raw_wasmer", |b| b.iter(|| raw.call(kernel)));
        group.finish();
    }
}

fn storage(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rocks: SharedStore = Arc::new(RocksStore::open(dir.path()).expect("open"));
    let mut bench = StorageBench::new(rocks);
    let mut group = c.benchmark_group("storage");
    group.throughput(Throughput::Elements(100));
    group.bench_function("read100_rocksdb", |b| b.iter(|| bench.read100()));
    group.bench_function("write100_commit_rocksdb", |b| {
        b.iter(|| bench.write100_and_commit())
    });
    group.finish();
}

criterion_group!(benches, compile, calls, storage);
criterion_main!(benches);
