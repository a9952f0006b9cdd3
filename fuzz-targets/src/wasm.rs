//! `prepare_and_run`: contract code from anyone, through the whole deploy pipeline and a call.

use std::sync::{Arc, LazyLock};

use arbitrary::Unstructured;
use weft_primitives::Address;
use weft_state::{MemStore, Overlay, SharedStore};
use weft_vm::{BlockContext, CallRequest, Frame, Outcome, Vm, World};

/// One VM for every run, as a node has: its module cache is part of what is fuzzed.
static VM: LazyLock<Vm> = LazyLock::new(|| Vm::new(Default::default()));

const CONTRACT: Address = Address([0xc0; 32]);
const GAS: u64 = 1_000_000;

/// wasm-smith's modules kept to what Weft's policy accepts, with a `run` export to call.
fn policy_config() -> wasm_smith::Config {
    let template = "(module (memory (export \"memory\") 1 4) (func (export \"run\") unreachable))";
    weft_gas::smith_config(wat::parse_str(template).unwrap_or_else(|e| panic!("the template: {e}")))
}

/// Deploys `code` on a fresh chain state and calls its `run` export.
fn deploy_and_run(code: &[u8]) -> (Outcome, Option<Outcome>) {
    let store: SharedStore = Arc::new(MemStore::new());
    let mut world: World = Overlay::new(store);
    let block = BlockContext::default();
    let frame = Frame::outermost(Address::ZERO, CONTRACT, 0);
    let deployed = VM
        .instantiate(&mut world, block, frame, code, Vec::new(), GAS)
        .unwrap_or_else(|fault| panic!("a deploy met a node fault: {fault}"));
    if !deployed.is_success() {
        return (deployed, None);
    }
    let request = CallRequest {
        frame: Frame::outermost(Address::ZERO, CONTRACT, 0),
        entry: "run".into(),
        input: Vec::new(),
        gas_limit: GAS,
    };
    let called = VM
        .call(&mut world, block, request)
        .unwrap_or_else(|fault| panic!("a call met a node fault: {fault}"));
    (deployed, Some(called))
}

/// Bytes as a module (first byte even), or a module wasm-smith makes of them (odd): validation,
/// instrumentation and compilation must refuse or accept without panicking; an accepted module is
/// deployed and its `run` called on two fresh states, with the same outcome both times.
pub fn prepare_and_run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let code = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        let mut u = Unstructured::new(rest);
        let Ok(mut module) = wasm_smith::Module::new(policy_config(), &mut u) else {
            return;
        };
        if module.ensure_termination(10_000).is_err() {
            return;
        }
        module.to_bytes()
    };
    if VM.compile(&code).is_err() {
        return;
    }
    let first = deploy_and_run(&code);
    let second = deploy_and_run(&code);
    assert_eq!(first, second, "the same code ran differently twice");
}
