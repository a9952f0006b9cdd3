//! The same wasm on each engine: Weft (validated, instrumented, singlepass, metered, through the
//! VM), raw Wasmer singlepass, Wasmer singlepass with `wasmer-middlewares`' `Metering`, wasmi with
//! fuel, Wasmtime (Cranelift) with fuel, and the kernels compiled natively.
//!
//! Every engine runs a kernel as Weft runs a call: a fresh instance of a compiled module, one call
//! of an entry point without parameters, its result taken from the `env.return_data(ptr, len)`
//! import. [`Engine::run`] returns that result so that engines can be checked against each other.

use std::sync::Arc;

use weft_gas::GasSchedule;
use weft_primitives::{Address, Hash};
use weft_state::{Durability, KvStore, MemStore, Overlay, SharedStore};
use weft_vm::{BlockContext, CallRequest, Frame, Vm, World};

/// The kernels' module (`contracts/bench-kernels`), as committed.
pub const KERNELS_WASM: &[u8] = include_bytes!("../../contracts/artifacts/bench_kernels.wasm");

/// The kernels' entry points.
pub const KERNELS: [&str; 4] = ["xorshift", "fib", "keccak", "sort"];

/// The kernels compiled natively (the same source file as the wasm module's).
#[path = "../../contracts/bench-kernels/src/kernels.rs"]
#[allow(clippy::all, missing_docs)]
mod native_kernels;

const DEPLOYER: Address = Address([0xa1; 32]);
const GAS: u64 = 1 << 50;
const FUEL: u64 = 1 << 50;

/// An engine the benchmarks compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// Weft's VM: instrumented module, singlepass, a call frame over a world.
    Weft,
    /// Wasmer singlepass on the original module, no metering.
    Singlepass,
    /// Wasmer singlepass with the `Metering` middleware (cost 1 per operator).
    SinglepassMetering,
    /// wasmi with fuel metering.
    WasmiFuel,
    /// Wasmtime (Cranelift) with fuel metering.
    WasmtimeFuel,
    /// The kernels as native Rust.
    Native,
}

impl EngineKind {
    /// Every engine, in report order.
    pub const ALL: [EngineKind; 6] = [
        EngineKind::Weft,
        EngineKind::Singlepass,
        EngineKind::SinglepassMetering,
        EngineKind::WasmiFuel,
        EngineKind::WasmtimeFuel,
        EngineKind::Native,
    ];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Weft => "weft (metered)",
            EngineKind::Singlepass => "wasmer singlepass",
            EngineKind::SinglepassMetering => "singlepass + Metering",
            EngineKind::WasmiFuel => "wasmi (fuel)",
            EngineKind::WasmtimeFuel => "wasmtime (fuel)",
            EngineKind::Native => "native",
        }
    }
}

/// A compiled module on one engine, ready to run entry points.
pub enum Engine {
    /// Weft: a VM and a world with the module deployed.
    Weft {
        /// The VM.
        vm: Vm,
        /// The world (an in-memory store).
        world: World,
        /// The contract.
        address: Address,
    },
    /// Wasmer singlepass, with or without the Metering middleware.
    Wasmer {
        /// The engine.
        engine: wasmer::Engine,
        /// The compiled module.
        module: wasmer::Module,
        /// Whether the Metering middleware is on.
        metered: bool,
    },
    /// wasmi.
    Wasmi {
        /// The engine.
        engine: wasmi::Engine,
        /// The compiled module.
        module: wasmi::Module,
        /// The host functions.
        linker: wasmi::Linker<Vec<u8>>,
    },
    /// Wasmtime.
    Wasmtime {
        /// The engine.
        engine: wasmtime::Engine,
        /// The compiled module.
        module: wasmtime::Module,
        /// The host functions.
        linker: wasmtime::Linker<Vec<u8>>,
    },
    /// Native Rust.
    Native,
}

fn wasmer_engine(metered: bool) -> wasmer::Engine {
    use wasmer::sys::CompilerConfig;
    let mut compiler = wasmer::sys::Singlepass::default();
    if metered {
        let cost = |_: &wasmer::wasmparser::Operator<'_>| -> u64 { 1 };
        compiler.push_middleware(Arc::new(wasmer_middlewares::Metering::new(FUEL, cost)));
    }
    wasmer::Engine::from(compiler)
}

/// Compiles `wasm` on `kind` (for Weft: validate, instrument, compile, deploy).
pub fn compile(kind: EngineKind, wasm: &[u8]) -> Engine {
    match kind {
        EngineKind::Weft => {
            let store: SharedStore = Arc::new(MemStore::new());
            let vm = Vm::new(GasSchedule::default());
            let mut world = Overlay::new(store.clone());
            let address = Address::for_contract(&DEPLOYER, 0, &Hash::ZERO);
            let frame = Frame::outermost(DEPLOYER, address, 0);
            let outcome = vm
                .instantiate(&mut world, BlockContext::default(), frame, wasm, Vec::new(), GAS)
                .expect("no fault");
            assert!(outcome.is_success(), "deploy: {outcome:?}");
            let commit = world.commit().expect("commit");
            store.write(&commit.batch, Durability::Buffered).expect("write");
            Engine::Weft {
                vm,
                world: Overlay::new(store),
                address,
            }
        }
        EngineKind::Singlepass | EngineKind::SinglepassMetering => {
            let metered = kind == EngineKind::SinglepassMetering;
            let engine = wasmer_engine(metered);
            let module = wasmer::Module::new(&engine, wasm).expect("wasmer compiles");
            Engine::Wasmer {
                engine,
                module,
                metered,
            }
        }
        EngineKind::WasmiFuel => {
            let mut config = wasmi::Config::default();
            config.consume_fuel(true);
            config.compilation_mode(wasmi::CompilationMode::Eager);
            let engine = wasmi::Engine::new(&config);
            let module = wasmi::Module::new(&engine, wasm).expect("wasmi compiles");
            let mut linker = wasmi::Linker::new(&engine);
            linker
                .func_wrap(
                    "env",
                    "return_data",
                    |mut caller: wasmi::Caller<'_, Vec<u8>>, ptr: i32, len: i32| {
                        let memory = caller
                            .get_export("memory")
                            .and_then(wasmi::Extern::into_memory)
                            .expect("memory");
                        let bytes = slice(memory.data(&caller), ptr, len);
                        *caller.data_mut() = bytes;
                    },
                )
                .expect("link");
            Engine::Wasmi {
                engine,
                module,
                linker,
            }
        }
        EngineKind::WasmtimeFuel => {
            let mut config = wasmtime::Config::new();
            config.consume_fuel(true);
            let engine = wasmtime::Engine::new(&config).expect("wasmtime engine");
            let module = wasmtime::Module::new(&engine, wasm).expect("wasmtime compiles");
            let mut linker = wasmtime::Linker::new(&engine);
            linker
                .func_wrap(
                    "env",
                    "return_data",
                    |mut caller: wasmtime::Caller<'_, Vec<u8>>, ptr: i32, len: i32| {
                        let memory = caller
                            .get_export("memory")
                            .and_then(wasmtime::Extern::into_memory)
                            .expect("memory");
                        let bytes = slice(memory.data(&caller), ptr, len);
                        *caller.data_mut() = bytes;
                    },
                )
                .expect("link");
            Engine::Wasmtime {
                engine,
                module,
                linker,
            }
        }
        EngineKind::Native => Engine::Native,
    }
}

fn slice(memory: &[u8], ptr: i32, len: i32) -> Vec<u8> {
    let (start, len) = (ptr as u32 as usize, len as u32 as usize);
    memory.get(start..start + len).expect("in bounds").to_vec()
}

impl Engine {
    /// Runs `entry` in a fresh instance; its return data.
    pub fn run(&mut self, entry: &str) -> Vec<u8> {
        match self {
            Engine::Weft { vm, world, address } => {
                let request = CallRequest {
                    frame: Frame::outermost(DEPLOYER, *address, 0),
                    entry: entry.into(),
                    input: Vec::new(),
                    gas_limit: GAS,
                };
                let outcome = vm
                    .call(world, BlockContext::default(), request)
                    .expect("no fault");
                assert!(outcome.is_success(), "{entry}: {outcome:?}");
                outcome.return_data
            }
            Engine::Wasmer { engine, module, .. } => {
                #[derive(Clone)]
                struct Env {
                    memory: Option<wasmer::Memory>,
                    data: Arc<std::sync::Mutex<Vec<u8>>>,
                }
                let mut store = wasmer::Store::new(engine.clone());
                let data = Arc::new(std::sync::Mutex::new(Vec::new()));
                let env = wasmer::FunctionEnv::new(
                    &mut store,
                    Env {
                        memory: None,
                        data: data.clone(),
                    },
                );
                let return_data = wasmer::Function::new_typed_with_env(
                    &mut store,
                    &env,
                    |mut env: wasmer::FunctionEnvMut<'_, Env>, ptr: i32, len: i32| {
                        let (env, store) = env.data_and_store_mut();
                        let memory = env.memory.as_ref().expect("memory");
                        let mut bytes = vec![0; len as u32 as usize];
                        memory
                            .view(&store)
                            .read(u64::from(ptr as u32), &mut bytes)
                            .expect("in bounds");
                        *env.data.lock().expect("not poisoned") = bytes;
                    },
                );
                let imports = wasmer::imports! { "env" => { "return_data" => return_data } };
                let instance = wasmer::Instance::new(&mut store, module, &imports).expect("instantiate");
                env.as_mut(&mut store).memory =
                    Some(instance.exports.get_memory("memory").expect("memory").clone());
                let function = instance.exports.get_function(entry).expect("entry");
                function.call(&mut store, &[]).expect("runs");
                std::mem::take(&mut *data.lock().expect("not poisoned"))
            }
            Engine::Wasmi {
                engine,
                module,
                linker,
            } => {
                let mut store = wasmi::Store::new(engine, Vec::new());
                store.set_fuel(FUEL).expect("fuel on");
                let instance = linker
                    .instantiate_and_start(&mut store, module)
                    .expect("instantiate");
                let function = instance.get_typed_func::<(), ()>(&store, entry).expect("entry");
                function.call(&mut store, ()).expect("runs");
                std::mem::take(store.data_mut())
            }
            Engine::Wasmtime {
                engine,
                module,
                linker,
            } => {
                let mut store = wasmtime::Store::new(engine, Vec::new());
                store.set_fuel(FUEL).expect("fuel on");
                let instance = linker.instantiate(&mut store, module).expect("instantiate");
                let function = instance
                    .get_typed_func::<(), ()>(&mut store, entry)
                    .expect("entry");
                function.call(&mut store, ()).expect("runs");
                std::mem::take(store.data_mut())
            }
            Engine::Native => match entry {
                "keccak" => native_kernels::keccak().to_vec(),
                "fib" => native_kernels::fib().to_le_bytes().to_vec(),
                "xorshift" => native_kernels::xorshift().to_le_bytes().to_vec(),
                "sort" => native_kernels::sort().to_le_bytes().to_vec(),
                other => panic!("no native kernel {other}"),
            },
        }
    }
}
