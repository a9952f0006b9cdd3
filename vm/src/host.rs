//! Binding `weft-host`'s functions to Wasmer imports.

use wasmer::{Function, FunctionEnv, FunctionEnvMut, Global, Imports, Memory, MemoryView, Store, Value};
use weft_host::{HostContext, HostError, HostState};

/// Per-instance host data: the call's state and handles to the instance's memory and gas counter
/// (set right after instantiation).
pub(crate) struct Env {
    pub state: HostState,
    pub memory: Option<Memory>,
    pub gas: Option<Global>,
}

/// [`HostContext`] over a Wasmer function environment.
struct Ctx<'a, 'b>(&'a mut FunctionEnvMut<'b, Env>);

fn out_of_bounds(ptr: u32, len: u32) -> HostError {
    HostError::MemoryOutOfBounds { ptr, len }
}

/// `ptr .. ptr + len` must not overflow and must lie inside linear memory.
fn check_range(view: &MemoryView<'_>, ptr: u32, len: u32) -> Result<(), HostError> {
    let end = ptr.checked_add(len).ok_or_else(|| out_of_bounds(ptr, len))?;
    if u64::from(end) > view.data_size() {
        return Err(out_of_bounds(ptr, len));
    }
    Ok(())
}

impl HostContext for Ctx<'_, '_> {
    fn state(&mut self) -> &mut HostState {
        &mut self.0.data_mut().state
    }

    fn charge(&mut self, gas: u64) -> Result<(), HostError> {
        let (env, mut store) = self.0.data_and_store_mut();
        let Some(global) = env.gas.as_ref() else {
            return Err(HostError::OutOfGas);
        };
        let left = match global.get(&mut store) {
            Value::I64(left) => left,
            _ => return Err(HostError::OutOfGas),
        };
        let left = left.saturating_sub(i64::try_from(gas).unwrap_or(i64::MAX));
        global
            .set(&mut store, Value::I64(left))
            .map_err(|_| HostError::OutOfGas)?;
        if left < 0 {
            Err(HostError::OutOfGas)
        } else {
            Ok(())
        }
    }

    fn gas_left(&mut self) -> i64 {
        let (env, mut store) = self.0.data_and_store_mut();
        match env.gas.as_ref().map(|g| g.get(&mut store)) {
            Some(Value::I64(left)) => left,
            _ => 0,
        }
    }

    fn read(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>, HostError> {
        let (env, store) = self.0.data_and_store_mut();
        let memory = env.memory.as_ref().ok_or_else(|| out_of_bounds(ptr, len))?;
        let view = memory.view(&store);
        check_range(&view, ptr, len)?;
        let mut bytes = vec![0; len as usize];
        view.read(u64::from(ptr), &mut bytes)
            .map_err(|_| out_of_bounds(ptr, len))?;
        Ok(bytes)
    }

    fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), HostError> {
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let (env, store) = self.0.data_and_store_mut();
        let memory = env.memory.as_ref().ok_or_else(|| out_of_bounds(ptr, len))?;
        let view = memory.view(&store);
        check_range(&view, ptr, len)?;
        view.write(u64::from(ptr), bytes)
            .map_err(|_| out_of_bounds(ptr, len))
    }
}

/// A Wasmer function calling host function `$func` with `i32` arguments `$arg`.
macro_rules! bind {
    ($store:expr, $env:expr, $func:path $(, $arg:ident)*) => {
        Function::new_typed_with_env($store, $env, |mut c: FunctionEnvMut<'_, Env>, $($arg: i32),*| {
            $func(&mut Ctx(&mut c) $(, $arg)*)
        })
    };
}

/// The `env` imports: one Wasmer function per entry of [`weft_host::HOST_FUNCTIONS`].
pub(crate) fn imports(store: &mut Store, env: &FunctionEnv<Env>) -> Imports {
    let functions = [
        ("input", bind!(store, env, weft_host::input, register)),
        (
            "register_len",
            bind!(store, env, weft_host::register_len, register),
        ),
        (
            "read_register",
            bind!(store, env, weft_host::read_register, register, ptr),
        ),
        ("return_data", bind!(store, env, weft_host::return_data, ptr, len)),
        ("revert", bind!(store, env, weft_host::revert, ptr, len)),
        ("abort", bind!(store, env, weft_host::abort, ptr, len)),
        ("debug_log", bind!(store, env, weft_host::debug_log, ptr, len)),
        ("gas_left", bind!(store, env, weft_host::gas_left)),
    ];
    let mut imports = Imports::new();
    for (name, function) in functions {
        imports.define("env", name, function);
    }
    imports
}
