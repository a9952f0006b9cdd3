//! Weft's benchmarks: shared workloads (synthetic modules, the storage kernel), the peers side by
//! side ([`peers`]), and the report that measures everything in one process ([`report`]; run it
//! with `cargo run --release -p weft-benches --bin report`). The criterion benchmarks live in
//! `benches/` (`cargo bench -p weft-benches`).

pub mod network;
pub mod peers;
pub mod report;

use weft_gas::GasSchedule;
use weft_primitives::{Address, Hash};
use weft_state::{Durability, KvStore, Overlay, SharedStore};
use weft_vm::{BlockContext, CallRequest, Frame, Vm, World};

use wasm_encoder::{
    BlockType, CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction, MemArg,
    MemArgTarget, MemorySection, MemoryType, Module, TypeSection, ValType,
};

/// A module of `functions` functions of one type `(params) -> (results)`, with one page of
/// exported memory, the function `run_export` (if any) exported as `run`, and bodies from `body`.
fn module_of(
    functions: u32,
    (params, results): (&[ValType], &[ValType]),
    run_export: Option<u32>,
    body: impl Fn(u32) -> Function,
) -> Vec<u8> {
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types
        .ty()
        .function(params.iter().copied(), results.iter().copied());
    module.section(&types);
    let mut funcs = FunctionSection::new();
    for _ in 0..functions {
        funcs.function(0);
    }
    module.section(&funcs);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: Some(16),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    module.section(&memories);
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    if let Some(index) = run_export {
        exports.export("run", ExportKind::Func, index);
    }
    module.section(&exports);
    let mut code = CodeSection::new();
    for index in 0..functions {
        code.function(&body(index));
    }
    module.section(&code);
    module.finish()
}

/// A synthetic contract-like module with `functions` functions of about `blocks` loop blocks each:
/// integer arithmetic on locals, loads and stores, a call to the previous function and a
/// conditional branch per block, the shapes compiled Rust is made of. Valid under Weft's policy.
pub fn synthetic_module(functions: u32, blocks: u32) -> Vec<u8> {
    let mem = MemArg {
        offset: 8,
        align: 2,
        target: MemArgTarget::Memory(0),
        ordering: None,
    };
    module_of(
        functions,
        (&[ValType::I32], &[ValType::I32]),
        functions.checked_sub(1),
        |index| {
            let mut f = Function::new([(2, ValType::I32)]);
            for block in 0..blocks {
                f.instruction(&Instruction::Loop(BlockType::Empty));
                f.instruction(&Instruction::LocalGet(0));
                f.instruction(&Instruction::I32Const(block as i32 + 1));
                f.instruction(&Instruction::I32Add);
                f.instruction(&Instruction::LocalTee(1));
                f.instruction(&Instruction::I32Load(mem));
                f.instruction(&Instruction::LocalGet(1));
                f.instruction(&Instruction::I32Mul);
                f.instruction(&Instruction::LocalSet(2));
                f.instruction(&Instruction::LocalGet(1));
                f.instruction(&Instruction::LocalGet(2));
                f.instruction(&Instruction::I32Store(mem));
                if index > 0 {
                    f.instruction(&Instruction::LocalGet(2));
                    f.instruction(&Instruction::Call(index - 1));
                    f.instruction(&Instruction::Drop);
                }
                f.instruction(&Instruction::LocalGet(2));
                f.instruction(&Instruction::I32Const(7));
                f.instruction(&Instruction::I32And);
                f.instruction(&Instruction::BrIf(0));
                f.instruction(&Instruction::End);
            }
            f.instruction(&Instruction::LocalGet(2));
            f.instruction(&Instruction::End);
            f
        },
    )
}

/// An adversarial module: `functions` functions, each `depth` nested blocks deep with a
/// `br_table` of `depth` targets at the bottom and `locals` locals: the shapes that make compilers
/// slow. Valid under Weft's policy when `depth` and `locals` are within the default limits.
pub fn adversarial_module(functions: u32, depth: u32, locals: u32) -> Vec<u8> {
    module_of(functions, (&[ValType::I32], &[]), None, |_| {
        let mut f = Function::new([(locals, ValType::I64)]);
        for _ in 0..depth {
            f.instruction(&Instruction::Block(BlockType::Empty));
        }
        f.instruction(&Instruction::LocalGet(0));
        let targets: Vec<u32> = (0..depth).collect();
        f.instruction(&Instruction::BrTable(targets.into(), 0));
        for _ in 0..depth {
            f.instruction(&Instruction::End);
        }
        f.instruction(&Instruction::End);
        f
    })
}

/// A contract with `noop`, `read100` (100 storage reads) and `write100` (100 storage writes).
pub const STORAGE_WAT: &str = r#"(module
    (import "env" "storage_read" (func $storage_read (param i32 i32 i32) (result i32)))
    (import "env" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
    (memory (export "memory") 1)
    (func (export "noop"))
    (func (export "read100") (local $i i32)
      (loop $l
        (i32.store (i32.const 0x100) (i32.mul (local.get $i) (i32.const 97)))
        (drop (call $storage_read (i32.const 0x100) (i32.const 4) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 100)))))
    (func (export "write100") (local $i i32)
      (loop $l
        (i32.store (i32.const 0x100) (local.get $i))
        (call $storage_write (i32.const 0x100) (i32.const 4) (i32.const 0x200) (i32.const 32))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))))"#;

const DEPLOYER: Address = Address([0xa1; 32]);
const GAS: u64 = 10_000_000_000;

/// The storage kernel ([`STORAGE_WAT`]) deployed over a store, its 100 read keys committed.
pub struct StorageBench {
    vm: Vm,
    world: World,
    store: SharedStore,
    contract: Address,
}

impl StorageBench {
    /// Deploys the kernel into `store` and commits the keys `read100` reads.
    pub fn new(store: SharedStore) -> Self {
        let vm = Vm::new(GasSchedule::default());
        let mut world = Overlay::new(store.clone());
        let contract = Address::for_contract(&DEPLOYER, 0, &Hash([1; 32]));
        let code = wat::parse_str(STORAGE_WAT).expect("wat");
        let frame = Frame::outermost(DEPLOYER, contract, 0);
        let outcome = vm
            .instantiate(&mut world, BlockContext::default(), frame, &code, Vec::new(), GAS)
            .expect("no fault");
        assert!(outcome.is_success(), "{outcome:?}");
        for i in 0..100u32 {
            world.set_storage(&contract, &(i * 97).to_le_bytes(), vec![7; 32]);
        }
        let mut bench = Self {
            vm,
            world,
            store,
            contract,
        };
        bench.commit();
        bench
    }

    /// The deployed kernel's address.
    pub fn contract(&self) -> Address {
        self.contract
    }

    /// Calls `entry` of the kernel.
    pub fn call(&mut self, entry: &str) {
        let request = CallRequest {
            frame: Frame::outermost(DEPLOYER, self.contract, 0),
            entry: entry.into(),
            input: Vec::new(),
            gas_limit: GAS,
        };
        let outcome = self
            .vm
            .call(&mut self.world, BlockContext::default(), request)
            .expect("no fault");
        assert!(outcome.is_success(), "{entry}: {outcome:?}");
    }

    /// 100 storage reads.
    pub fn read100(&mut self) {
        self.call("read100");
    }

    /// 100 storage writes, then a synced commit.
    pub fn write100_and_commit(&mut self) {
        self.call("write100");
        self.commit();
    }

    fn commit(&mut self) {
        let world = std::mem::replace(&mut self.world, Overlay::new(self.store.clone()));
        let commit = world.commit().expect("commit");
        self.store.write(&commit.batch, Durability::Sync).expect("write");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_modules_are_accepted_at_the_benchmarked_sizes() {
        let schedule = weft_gas::GasSchedule::default();
        for (functions, blocks, min_kib, max_kib) in [(8, 8, 1, 4), (200, 16, 80, 160), (700, 50, 1024, 2048)]
        {
            let wasm = synthetic_module(functions, blocks);
            let kib = wasm.len() / 1024;
            assert!(
                (min_kib..max_kib).contains(&kib),
                "{functions}×{blocks}: {kib} KiB"
            );
            weft_gas::prepare(&wasm, &schedule, &[]).unwrap();
        }
        let adversarial = adversarial_module(300, 1_000, 4_000);
        assert!(adversarial.len() > 1024 * 1024, "{}", adversarial.len());
        weft_gas::prepare(&adversarial, &schedule, &[]).unwrap();
    }
}
