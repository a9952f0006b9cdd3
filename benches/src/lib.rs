//! Shared workloads for Weft's benchmarks (the benchmarks themselves live in `benches/`; run them
//! with `cargo bench -p weft-benches`).

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
