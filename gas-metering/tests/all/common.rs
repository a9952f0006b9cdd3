//! Shared helpers: build modules from WAT, prepare them, run them on wasmi (the reference engine).

#![allow(clippy::unwrap_used)]

use wasmi::{Engine, Linker, Module, Store, Val};
use weft_gas::{GAS_GLOBAL, GasSchedule, PreparedModule, STACK_GLOBAL, prepare};

/// WAT text to wasm bytes.
pub fn wat(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

/// Prepares WAT with the default schedule and no host functions.
pub fn prepare_wat(text: &str) -> PreparedModule {
    prepare(&wat(text), &GasSchedule::default(), &[]).unwrap()
}

/// What one call did.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Results (Debug-formatted) or the trap message.
    pub result: Result<Vec<String>, String>,
    /// The gas global after the call (negative: out of gas).
    pub gas_left: i64,
    /// The stack-height global after the call.
    pub stack: i32,
    /// The exported memory after the call.
    pub memory: Vec<u8>,
}

/// Instantiates `code` on wasmi, sets the gas global (if present) to `gas`, and calls `export`.
pub fn run(code: &[u8], export: &str, args: &[Val], gas: i64) -> Run {
    // Instrumented code may nest twice the frames of the original: an indirect call enters its
    // target through an entry wrapper. wasmi's default limit (1,024 frames) must not tell them apart.
    let mut config = wasmi::Config::default();
    config.set_max_recursion_depth(4 * 1024);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, code).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = match Linker::<()>::new(&engine).instantiate_and_start(&mut store, &module) {
        Ok(instance) => instance,
        // E.g. an active data segment out of bounds: the same for original and instrumented code.
        Err(e) => {
            return Run {
                result: Err(format!("instantiation: {e}")),
                gas_left: gas,
                stack: 0,
                memory: Vec::new(),
            };
        }
    };
    if let Some(global) = instance.get_global(&store, GAS_GLOBAL) {
        global.set(&mut store, Val::I64(gas)).unwrap();
    }
    let func = instance.get_func(&store, export).unwrap();
    let ty = func.ty(&store);
    let mut outputs: Vec<Val> = ty.results().iter().map(|t| Val::default_for_ty(*t)).collect();
    let result = func
        .call(&mut store, args, &mut outputs)
        .map(|()| outputs.iter().map(|v| format!("{v:?}")).collect())
        .map_err(|e| e.to_string());
    let global_i64 = |name| match instance.get_global(&store, name).map(|g| g.get(&store)) {
        Some(Val::I64(v)) => v,
        _ => 0,
    };
    let global_i32 = |name| match instance.get_global(&store, name).map(|g| g.get(&store)) {
        Some(Val::I32(v)) => v,
        _ => 0,
    };
    let memory = instance
        .get_memory(&store, "memory")
        .map(|m| m.data(&store).to_vec())
        .unwrap_or_default();
    Run {
        gas_left: global_i64(GAS_GLOBAL),
        stack: global_i32(STACK_GLOBAL),
        result,
        memory,
    }
}

/// Gas used by a successful call of `export` of prepared `code` (starting from ample gas).
pub fn gas_used(code: &[u8], export: &str, args: &[Val]) -> (Vec<String>, i64) {
    const AMPLE: i64 = 1 << 50;
    let run = run(code, export, args, AMPLE);
    (run.result.unwrap(), AMPLE - run.gas_left)
}

/// The operators of defined function `index` (0-based among defined functions) of `code`.
pub fn body_ops(code: &[u8], index: usize) -> Vec<wasmparser::Operator<'_>> {
    let body = wasmparser::Parser::new(0)
        .parse_all(code)
        .filter_map(|payload| match payload.unwrap() {
            wasmparser::Payload::CodeSectionEntry(body) => Some(body),
            _ => None,
        })
        .nth(index)
        .unwrap();
    body.get_operators_reader()
        .unwrap()
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap()
}
