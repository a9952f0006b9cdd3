//! `host_calls`: every host function, called by a contract with arguments from the input.

use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use weft_gas::AbiType;
use weft_host::HOST_FUNCTIONS;
use weft_primitives::Address;
use weft_state::{MemStore, Overlay, SharedStore};
use weft_vm::{BlockContext, CallRequest, Frame, Outcome, Vm, World};

const INTERPRETER: Address = Address([0x1f; 32]);
const GAS: u64 = 10_000_000;
/// The most input a run takes: it must fit the interpreter's one page of memory with room left.
const MAX_INPUT: usize = 16 << 10;
/// One call: a selector byte, then eight 4-byte little-endian arguments.
const RECORD: usize = 1 + 8 * 4;

/// The index of host function `name` in the import list.
fn index_of(name: &str) -> usize {
    HOST_FUNCTIONS
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no host function {name}"))
}

/// A contract that copies its input to memory at 0 and runs it as a list of calls: per record, the
/// selector (modulo the number of host functions) picks the function, and its parameters are the
/// record's arguments in order (an `i64` is the argument sign-extended). Results are dropped; the
/// run ends with the input, or when a function ends it (`revert`, `abort`, a trap).
fn interpreter() -> String {
    let mut wat = String::from("(module\n");
    for (i, f) in HOST_FUNCTIONS.iter().enumerate() {
        let kind = |t: &AbiType| if *t == AbiType::I32 { "i32" } else { "i64" };
        let params: Vec<_> = f.params.iter().map(kind).collect();
        let results: Vec<_> = f.results.iter().map(kind).collect();
        let _ = writeln!(
            wat,
            "  (import \"env\" \"{}\" (func $f{i} (param {}) (result {})))",
            f.name,
            params.join(" "),
            results.join(" ")
        );
    }
    let (input, len, read) = (
        index_of("input"),
        index_of("register_len"),
        index_of("read_register"),
    );
    let n = HOST_FUNCTIONS.len();
    let _ = write!(
        wat,
        "  (memory (export \"memory\") 1)
  (func (export \"run\") (local $p i32) (local $end i32)
    (call $f{input} (i32.const 0))
    (local.set $end (i32.wrap_i64 (call $f{len} (i32.const 0))))
    (call $f{read} (i32.const 0) (i32.const 0))
    (block $exit (loop $next
      (br_if $exit (i32.gt_u (i32.add (local.get $p) (i32.const {RECORD})) (local.get $end)))
      (block $done\n"
    );
    for i in (0..n).rev() {
        let _ = writeln!(wat, "      (block $c{i}");
    }
    let labels: Vec<_> = (0..n).map(|i| format!("$c{i}")).collect();
    let _ = writeln!(
        wat,
        "      (br_table {} (i32.rem_u (i32.load8_u (local.get $p)) (i32.const {n})))",
        labels.join(" ")
    );
    for (i, f) in HOST_FUNCTIONS.iter().enumerate() {
        let _ = write!(wat, "      ) (call $f{i}");
        for (k, param) in f.params.iter().enumerate() {
            let arg = format!("(i32.load offset={} (local.get $p))", 1 + 4 * k);
            if *param == AbiType::I32 {
                wat.push_str(&arg);
            } else {
                let _ = write!(wat, "(i64.extend_i32_s {arg})");
            }
        }
        wat.push(')');
        for _ in f.results {
            wat.push_str(" drop");
        }
        wat.push_str(" (br $done)\n");
    }
    let _ = write!(
        wat,
        "      )
      (local.set $p (i32.add (local.get $p) (i32.const {RECORD})))
      (br $next)))))\n"
    );
    wat
}

/// The VM, and a store with the interpreter deployed (and a balance to move).
static CHAIN: LazyLock<(Vm, SharedStore)> = LazyLock::new(|| {
    let vm = Vm::new(Default::default());
    let store: SharedStore = Arc::new(MemStore::new());
    let code = wat::parse_str(interpreter()).unwrap_or_else(|e| panic!("the interpreter: {e}"));
    let mut world: World = Overlay::new(store.clone());
    let frame = Frame::outermost(Address::ZERO, INTERPRETER, 0);
    let deployed = vm
        .instantiate(
            &mut world,
            BlockContext::default(),
            frame,
            &code,
            Vec::new(),
            1 << 30,
        )
        .unwrap_or_else(|fault| panic!("deploying the interpreter: {fault}"));
    assert!(deployed.is_success(), "the interpreter deploys: {deployed:?}");
    let mut account = world.account(&INTERPRETER).unwrap_or_else(|e| panic!("{e}"));
    account.balance = 1_000_000;
    world.set_account(&INTERPRETER, &account);
    let commit = world.commit().unwrap_or_else(|e| panic!("{e}"));
    store
        .write(&commit.batch, weft_state::Durability::Buffered)
        .unwrap_or_else(|e| panic!("{e}"));
    (vm, store)
});

fn run(input: &[u8]) -> Outcome {
    let (vm, store) = &*CHAIN;
    let mut world: World = Overlay::new(store.clone());
    let request = CallRequest {
        frame: Frame::outermost(Address::ZERO, INTERPRETER, 0),
        entry: "run".into(),
        input: input.to_vec(),
        gas_limit: GAS,
    };
    vm.call(&mut world, BlockContext::default(), request)
        .unwrap_or_else(|fault| panic!("host calls met a node fault: {fault}"))
}

/// The input (at most 16 KiB) as a list of host calls with any pointers and lengths: each ends in
/// a result or a deterministic trap, never a panic or a fault, and the same input runs the same
/// way twice.
pub fn host_calls(data: &[u8]) {
    let input = &data[..data.len().min(MAX_INPUT)];
    let first = run(input);
    assert_eq!(first, run(input), "the same host calls ran differently twice");
}
