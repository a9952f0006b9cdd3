//! One call of a module's export on each engine, observed the same way: the values returned or
//! the class of the trap, and the exported memory afterwards.

use weft_gas::{GAS_GLOBAL, GasSchedule, PrepareError, STACK_GLOBAL, prepare};

/// An engine of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Engine {
    /// Wasmer singlepass on the original module.
    Singlepass,
    /// Weft's pipeline: `weft_gas::prepare` (the feature policy, the limits, gas and stack-height
    /// instrumentation) and the singlepass engine `weft-vm` compiles with, the gas global set
    /// high; its traps read as `weft-vm` reads them.
    Weft,
    /// wasmi on the original module.
    Wasmi,
    /// Wasmtime (Cranelift) on the original module: the fourth opinion when two disagree.
    Wasmtime,
}

impl Engine {
    /// The three that run every module.
    pub const FIRST_OPINIONS: [Engine; 3] = [Engine::Singlepass, Engine::Weft, Engine::Wasmi];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Singlepass => "singlepass",
            Engine::Weft => "weft",
            Engine::Wasmi => "wasmi",
            Engine::Wasmtime => "wasmtime",
        }
    }
}

/// Why a call trapped, in classes every engine can name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TrapClass {
    /// `unreachable`.
    Unreachable,
    /// A memory access out of bounds.
    MemoryOutOfBounds,
    /// A table access out of bounds.
    TableOutOfBounds,
    /// `call_indirect` of a null entry.
    IndirectCallToNull,
    /// `call_indirect` of a function of another type.
    BadSignature,
    /// Signed division overflow (`MIN / -1`).
    IntegerOverflow,
    /// Division or remainder by zero.
    IntegerDivisionByZero,
    /// A float-to-int conversion out of range.
    BadConversionToInteger,
    /// The engine's own call stack ran out: depends on the engine, not comparable.
    StackOverflow,
    /// Weft's stack-height limit (a deterministic, lower bound): not comparable either.
    StackLimit,
    /// Weft's gas ran out (it is set high: a sign of an endless loop).
    OutOfGas,
    /// Anything else, with the engine's words.
    Other(String),
}

impl TrapClass {
    /// Whether the class is about an engine's resources rather than the program's semantics.
    pub fn is_resource_limit(&self) -> bool {
        matches!(self, Self::StackOverflow | Self::StackLimit | Self::OutOfGas)
    }
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ending {
    /// It returned these values (as `i64` bit patterns; `i32`s sign-extended).
    Returned(Vec<i64>),
    /// It trapped.
    Trapped(TrapClass),
    /// Instantiation failed (a segment out of bounds, say): no call was made.
    NotInstantiated,
}

/// One call observed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Observation {
    /// How it ended.
    pub ending: Ending,
    /// The exported `memory` after the call (empty without one).
    pub memory: Vec<u8>,
}

/// An argument or result value.
fn to_i64_wasmer(value: &wasmer::Value) -> i64 {
    match value {
        wasmer::Value::I32(v) => i64::from(*v),
        wasmer::Value::I64(v) => *v,
        _ => 0,
    }
}

/// The schedule Weft's side runs with: the shipped one.
pub fn weft_schedule() -> GasSchedule {
    GasSchedule::default()
}

/// Runs `export` of `wasm` with `args` on `engine`. `Err` only if Weft's validation refuses the
/// module (a limit of the schedule that the generator does not know): nothing to compare.
pub fn observe(engine: Engine, wasm: &[u8], export: &str, args: &[i64]) -> Result<Observation, PrepareError> {
    Ok(match engine {
        Engine::Singlepass => on_wasmer(wasm, export, args, false),
        Engine::Weft => {
            let prepared = prepare(wasm, &weft_schedule(), &[])?;
            on_wasmer(&prepared.code, export, args, true)
        }
        Engine::Wasmi => on_wasmi(wasm, export, args),
        Engine::Wasmtime => on_wasmtime(wasm, export, args),
    })
}

fn wasmer_trap(error: &wasmer::RuntimeError) -> TrapClass {
    use wasmer_types::TrapCode;
    match error.clone().to_trap() {
        Some(TrapCode::UnreachableCodeReached) => TrapClass::Unreachable,
        Some(TrapCode::HeapAccessOutOfBounds | TrapCode::HeapMisaligned) => TrapClass::MemoryOutOfBounds,
        Some(TrapCode::TableAccessOutOfBounds) => TrapClass::TableOutOfBounds,
        Some(TrapCode::IndirectCallToNull) => TrapClass::IndirectCallToNull,
        Some(TrapCode::BadSignature) => TrapClass::BadSignature,
        Some(TrapCode::IntegerOverflow) => TrapClass::IntegerOverflow,
        Some(TrapCode::IntegerDivisionByZero) => TrapClass::IntegerDivisionByZero,
        Some(TrapCode::BadConversionToInteger) => TrapClass::BadConversionToInteger,
        Some(TrapCode::StackOverflow) => TrapClass::StackOverflow,
        _ => TrapClass::Other(error.message()),
    }
}

/// On Wasmer singlepass, as `weft-vm` builds its engine; `instrumented` reads the gas and stack
/// globals as `weft-vm` does.
fn on_wasmer(wasm: &[u8], export: &str, args: &[i64], instrumented: bool) -> Observation {
    let engine = wasmer::Engine::from(wasmer::sys::Singlepass::default());
    let Ok(module) = wasmer::Module::new(&engine, wasm) else {
        return Observation {
            ending: Ending::Trapped(TrapClass::Other("singlepass refused the module".into())),
            memory: Vec::new(),
        };
    };
    let mut store = wasmer::Store::new(engine);
    let Ok(instance) = wasmer::Instance::new(&mut store, &module, &wasmer::imports! {}) else {
        return Observation {
            ending: Ending::NotInstantiated,
            memory: Vec::new(),
        };
    };
    let global = |name| instance.exports.get_global(name).ok().cloned();
    if instrumented && let Some(gas) = global(GAS_GLOBAL) {
        let _ = gas.set(&mut store, wasmer::Value::I64(i64::MAX / 2));
    }
    let ending = match instance.exports.get_function(export) {
        Err(_) => Ending::Trapped(TrapClass::Other(format!("no export {export}"))),
        Ok(function) => {
            let params = function.ty(&store).params().to_vec();
            let values: Vec<wasmer::Value> = params
                .iter()
                .zip(args.iter().chain(std::iter::repeat(&0)))
                .map(|(ty, v)| match ty {
                    wasmer::Type::I64 => wasmer::Value::I64(*v),
                    _ => wasmer::Value::I32(*v as i32),
                })
                .collect();
            match function.call(&mut store, &values) {
                Ok(results) => Ending::Returned(results.iter().map(to_i64_wasmer).collect()),
                Err(error) => {
                    let read = |name, store: &mut wasmer::Store| match global(name).map(|g| g.get(store)) {
                        Some(wasmer::Value::I64(v)) => v,
                        Some(wasmer::Value::I32(v)) => i64::from(v),
                        _ => 0,
                    };
                    let limit = i64::from(weft_schedule().limits.max_stack_height);
                    if instrumented && read(GAS_GLOBAL, &mut store) < 0 {
                        Ending::Trapped(TrapClass::OutOfGas)
                    } else if instrumented && read(STACK_GLOBAL, &mut store) > limit {
                        Ending::Trapped(TrapClass::StackLimit)
                    } else {
                        Ending::Trapped(wasmer_trap(&error))
                    }
                }
            }
        }
    };
    let memory = instance
        .exports
        .get_memory("memory")
        .map(|m| m.view(&store).copy_to_vec().unwrap_or_default())
        .unwrap_or_default();
    Observation { ending, memory }
}

fn wasmi_trap(error: &wasmi::Error) -> TrapClass {
    use wasmi::TrapCode;
    match error.as_trap_code() {
        Some(TrapCode::UnreachableCodeReached) => TrapClass::Unreachable,
        Some(TrapCode::MemoryOutOfBounds) => TrapClass::MemoryOutOfBounds,
        Some(TrapCode::TableOutOfBounds) => TrapClass::TableOutOfBounds,
        Some(TrapCode::IndirectCallToNull) => TrapClass::IndirectCallToNull,
        Some(TrapCode::BadSignature) => TrapClass::BadSignature,
        Some(TrapCode::IntegerOverflow) => TrapClass::IntegerOverflow,
        Some(TrapCode::IntegerDivisionByZero) => TrapClass::IntegerDivisionByZero,
        Some(TrapCode::BadConversionToInteger) => TrapClass::BadConversionToInteger,
        Some(TrapCode::StackOverflow) => TrapClass::StackOverflow,
        _ => TrapClass::Other(error.to_string()),
    }
}

fn on_wasmi(wasm: &[u8], export: &str, args: &[i64]) -> Observation {
    let mut config = wasmi::Config::default();
    // Deeper than the others' native stacks rarely matters: overflows are not compared.
    config.set_max_recursion_depth(16 * 1024);
    let engine = wasmi::Engine::new(&config);
    let Ok(module) = wasmi::Module::new(&engine, wasm) else {
        return Observation {
            ending: Ending::Trapped(TrapClass::Other("wasmi refused the module".into())),
            memory: Vec::new(),
        };
    };
    let mut store = wasmi::Store::new(&engine, ());
    let Ok(instance) = wasmi::Linker::<()>::new(&engine).instantiate_and_start(&mut store, &module) else {
        return Observation {
            ending: Ending::NotInstantiated,
            memory: Vec::new(),
        };
    };
    let ending = match instance.get_func(&store, export) {
        None => Ending::Trapped(TrapClass::Other(format!("no export {export}"))),
        Some(function) => {
            let ty = function.ty(&store);
            let values: Vec<wasmi::Val> = ty
                .params()
                .iter()
                .zip(args.iter().chain(std::iter::repeat(&0)))
                .map(|(ty, v)| match ty {
                    wasmi::ValType::I64 => wasmi::Val::I64(*v),
                    _ => wasmi::Val::I32(*v as i32),
                })
                .collect();
            let mut results: Vec<wasmi::Val> = ty
                .results()
                .iter()
                .map(|t| wasmi::Val::default_for_ty(*t))
                .collect();
            match function.call(&mut store, &values, &mut results) {
                Ok(()) => Ending::Returned(
                    results
                        .iter()
                        .map(|v| match v {
                            wasmi::Val::I32(v) => i64::from(*v),
                            wasmi::Val::I64(v) => *v,
                            _ => 0,
                        })
                        .collect(),
                ),
                Err(error) => Ending::Trapped(wasmi_trap(&error)),
            }
        }
    };
    let memory = instance
        .get_memory(&store, "memory")
        .map(|m| m.data(&store).to_vec())
        .unwrap_or_default();
    Observation { ending, memory }
}

fn wasmtime_trap(error: &wasmtime::Error) -> TrapClass {
    use wasmtime::Trap;
    match error.downcast_ref::<Trap>() {
        Some(Trap::UnreachableCodeReached) => TrapClass::Unreachable,
        Some(Trap::MemoryOutOfBounds | Trap::HeapMisaligned) => TrapClass::MemoryOutOfBounds,
        Some(Trap::TableOutOfBounds) => TrapClass::TableOutOfBounds,
        Some(Trap::IndirectCallToNull) => TrapClass::IndirectCallToNull,
        Some(Trap::BadSignature) => TrapClass::BadSignature,
        Some(Trap::IntegerOverflow) => TrapClass::IntegerOverflow,
        Some(Trap::IntegerDivisionByZero) => TrapClass::IntegerDivisionByZero,
        Some(Trap::BadConversionToInteger) => TrapClass::BadConversionToInteger,
        Some(Trap::StackOverflow) => TrapClass::StackOverflow,
        _ => TrapClass::Other(error.to_string()),
    }
}

fn on_wasmtime(wasm: &[u8], export: &str, args: &[i64]) -> Observation {
    let Ok(engine) = wasmtime::Engine::new(&wasmtime::Config::new()) else {
        return Observation {
            ending: Ending::Trapped(TrapClass::Other("no wasmtime engine".into())),
            memory: Vec::new(),
        };
    };
    let Ok(module) = wasmtime::Module::new(&engine, wasm) else {
        return Observation {
            ending: Ending::Trapped(TrapClass::Other("wasmtime refused the module".into())),
            memory: Vec::new(),
        };
    };
    let mut store = wasmtime::Store::new(&engine, ());
    let Ok(instance) = wasmtime::Linker::<()>::new(&engine).instantiate(&mut store, &module) else {
        return Observation {
            ending: Ending::NotInstantiated,
            memory: Vec::new(),
        };
    };
    let ending = match instance.get_func(&mut store, export) {
        None => Ending::Trapped(TrapClass::Other(format!("no export {export}"))),
        Some(function) => {
            let ty = function.ty(&store);
            let values: Vec<wasmtime::Val> = ty
                .params()
                .zip(args.iter().chain(std::iter::repeat(&0)))
                .map(|(ty, v)| match ty {
                    wasmtime::ValType::I64 => wasmtime::Val::I64(*v),
                    _ => wasmtime::Val::I32(*v as i32),
                })
                .collect();
            let mut results: Vec<wasmtime::Val> = ty.results().map(|_| wasmtime::Val::I32(0)).collect();
            match function.call(&mut store, &values, &mut results) {
                Ok(()) => Ending::Returned(
                    results
                        .iter()
                        .map(|v| match v {
                            wasmtime::Val::I32(v) => i64::from(*v),
                            wasmtime::Val::I64(v) => *v,
                            _ => 0,
                        })
                        .collect(),
                ),
                Err(error) => Ending::Trapped(wasmtime_trap(&error)),
            }
        }
    };
    let memory = instance
        .get_memory(&mut store, "memory")
        .map(|m| m.data(&store).to_vec())
        .unwrap_or_default();
    Observation { ending, memory }
}
