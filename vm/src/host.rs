//! Binding `weft-host`'s functions to Wasmer imports.

use std::sync::Arc;

use wasmer::{
    Function, FunctionEnv, FunctionEnvMut, Global, Imports, Memory, MemoryView, Module, Store, Value,
};
use weft_host::{
    BlockContext, CallRequest, CallResult, DeployRequest, HOST_FUNCTIONS, HostContext, HostError, HostFault,
    HostState, World,
};
use weft_primitives::FrameKind;

use crate::error::VmFault;
use crate::frame::{FrameRun, run_frame};
use crate::lifecycle::deploy_frame;
use crate::shared::Shared;

/// Per-instance host data: the call's state, handles to the instance's memory and gas counter
/// (set right after instantiation), the VM, for nested calls, and how many times the frame called
/// each host function (for its trace).
pub(crate) struct Env {
    pub state: HostState,
    /// Calls per host function, in the order of [`HOST_FUNCTIONS`].
    pub host_calls: Box<[u32]>,
    pub memory: Option<Memory>,
    pub gas: Option<Global>,
    pub shared: Arc<Shared>,
    /// The engine fault a nested call met, kept typed while the host call unwinds as
    /// [`HostFault::Nested`].
    pub nested_fault: Option<VmFault>,
}

impl Env {
    /// The environment of one call over `state`, before instantiation.
    pub(crate) fn new(state: HostState, shared: Arc<Shared>) -> Self {
        Self {
            state,
            host_calls: vec![0; HOST_FUNCTIONS.len()].into_boxed_slice(),
            memory: None,
            gas: None,
            shared,
            nested_fault: None,
        }
    }
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

    fn call(&mut self, request: CallRequest) -> Result<CallResult, HostError> {
        self.nested(|shared, world, block| run_frame(shared, world, block, request, FrameKind::Call))
    }

    fn create(&mut self, request: DeployRequest) -> Result<CallResult, HostError> {
        self.nested(|shared, world, block| deploy_frame(shared, world, block, request, FrameKind::Create))
    }

    fn upgrade(&mut self, request: DeployRequest) -> Result<CallResult, HostError> {
        self.nested(|shared, world, block| deploy_frame(shared, world, block, request, FrameKind::Migrate))
    }
}

impl Ctx<'_, '_> {
    /// Lends the world to a nested frame run by `run` and takes it back; an engine fault is kept
    /// typed in the environment while the host call unwinds.
    fn nested(
        &mut self,
        run: impl FnOnce(&Arc<Shared>, World, BlockContext) -> (World, Result<FrameRun, VmFault>),
    ) -> Result<CallResult, HostError> {
        let env = self.0.data_mut();
        let world = env.state.take_world()?;
        let (shared, block) = (env.shared.clone(), env.state.block);
        let (world, run) = run(&shared, world, block);
        let env = self.0.data_mut();
        env.state.restore_world(world);
        match run {
            Ok(run) => Ok(run.into_call_result()),
            Err(fault) => {
                env.nested_fault = Some(fault);
                Err(HostError::Fault(HostFault::Nested))
            }
        }
    }
}

/// `fn host_function(store, env, name) -> Option<Function>`: for each listed host function, a
/// match arm from its name to a Wasmer function calling it with arguments of the given wasm types.
/// `host_function(store, env, name)`: the function `name` of the host ABI bound to its
/// implementation in `weft-host`, expanded from the ABI's one declaration.
/// Each call is counted under the function's index in [`HOST_FUNCTIONS`] (the `Index` enum's
/// discriminants follow the same declaration, in the same order).
macro_rules! bind_host_functions {
    ($($name:ident($($param:ident: $ty:ident),*) -> [$($result:ident),*];)*) => {
        /// Host functions by their index in [`HOST_FUNCTIONS`].
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy)]
        enum Index { $($name),* }

        fn host_function(store: &mut Store, env: &FunctionEnv<Env>, name: &str) -> Option<Function> {
            Some(match name {
                $(stringify!($name) => Function::new_typed_with_env(
                    store,
                    env,
                    |mut c: FunctionEnvMut<'_, Env>, $($param: $ty),*| {
                        count(&mut c, Index::$name as usize);
                        weft_host::$name(&mut Ctx(&mut c) $(, $param)*)
                    },
                ),)*
                _ => return None,
            })
        }
    };
}

/// Counts one call of host function `index` for the frame's trace.
fn count(c: &mut FunctionEnvMut<'_, Env>, index: usize) {
    if let Some(count) = c.data_mut().host_calls.get_mut(index) {
        *count = count.saturating_add(1);
    }
}

weft_host::for_each_host_function!(bind_host_functions);

/// The `env` imports `module` declares, each bound to its host function: only what the contract
/// uses is created for a call. (Deploy already refused any import not in
/// [`weft_host::HOST_FUNCTIONS`].)
pub(crate) fn imports(store: &mut Store, env: &FunctionEnv<Env>, module: &Module) -> Imports {
    let mut imports = Imports::new();
    for import in module.imports().functions() {
        if import.module() == "env"
            && let Some(function) = host_function(store, env, import.name())
        {
            imports.define("env", import.name(), function);
        }
    }
    imports
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use wasmer::Type;
    use weft_gas::{AbiType, GasSchedule};
    use weft_host::{BlockContext, Frame, HOST_FUNCTIONS};
    use weft_primitives::Address;
    use weft_state::{MemStore, Overlay, SharedStore};

    use super::*;
    use crate::Vm;

    fn wasm_types(abi: &[AbiType]) -> Vec<Type> {
        abi.iter()
            .map(|t| match t {
                AbiType::I32 => Type::I32,
                AbiType::I64 => Type::I64,
            })
            .collect()
    }

    #[test]
    fn every_table_entry_is_bound_with_its_signature() {
        let vm = Vm::new(GasSchedule::default());
        let mut store = Store::new(vm.shared.engine().clone());
        let world_store: SharedStore = Arc::new(MemStore::new());
        let frame = Frame::outermost(Address::ZERO, Address::ZERO, 0);
        let state = HostState::new(
            Vec::new(),
            vm.schedule(),
            frame,
            BlockContext::default(),
            Overlay::new(world_store),
        );
        let env = FunctionEnv::new(&mut store, Env::new(state, vm.shared.clone()));
        assert!(host_function(&mut store, &env, "nope").is_none());
        for function in HOST_FUNCTIONS {
            let Some(bound) = host_function(&mut store, &env, function.name) else {
                panic!("`{}` is not bound", function.name);
            };
            let ty = bound.ty(&store);
            assert_eq!(
                ty.params(),
                wasm_types(function.params).as_slice(),
                "{}",
                function.name
            );
            assert_eq!(
                ty.results(),
                wasm_types(function.results).as_slice(),
                "{}",
                function.name
            );
        }
    }
}
