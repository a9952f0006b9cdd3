//! The modules compared: wasm-smith's within Weft's feature policy, and modules of integer
//! division and remainder that wasm-smith seldom writes — `div_s`, `div_u`, `rem_s`, `rem_u` on
//! `i32` and `i64`, over constants at the extremes and computed operands, guarded and not, inside
//! loops and after calls, with locals assigned to themselves while their value is on the stack.

use arbitrary::{Result, Unstructured};
use wasm_encoder::{
    BlockType, CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction, MemArg,
    MemArgTarget, MemorySection, MemoryType, Module, TypeSection, ValType,
};

/// A deterministic byte source: the same `seed` gives the same bytes on every machine.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// A generated module and the calls to compare on it: export name and arguments.
#[derive(Debug, Clone)]
pub struct Case {
    /// The module.
    pub wasm: Vec<u8>,
    /// The calls.
    pub calls: Vec<(&'static str, Vec<i64>)>,
}

/// A wasm-smith module within the policy, exporting `memory`, `run0(i32) -> i32` and
/// `run1() -> i64`, with loops bounded; `None` if the bytes make none.
pub fn smith(seed: u64) -> Option<Case> {
    let exports = wat_exports();
    let config = weft_gas::smith_config(exports);
    let data = bytes(seed, 4096);
    let mut module = wasm_smith::Module::new(config, &mut Unstructured::new(&data)).ok()?;
    module.ensure_termination(1_000).ok()?;
    Some(Case {
        wasm: module.to_bytes(),
        calls: vec![("run0", vec![seed as i64]), ("run1", Vec::new())],
    })
}

/// The exports wasm-smith's modules must have, as a module to copy them from.
fn wat_exports() -> Vec<u8> {
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([], [ValType::I64]);
    let mut functions = FunctionSection::new();
    functions.function(0);
    functions.function(1);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: Some(4),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("run0", ExportKind::Func, 0);
    exports.export("run1", ExportKind::Func, 1);
    let mut code = CodeSection::new();
    for _ in 0..2 {
        let mut body = Function::new([]);
        body.instruction(&Instruction::Unreachable);
        body.instruction(&Instruction::End);
        code.function(&body);
    }
    module
        .section(&types)
        .section(&functions)
        .section(&memories)
        .section(&exports)
        .section(&code);
    module.finish()
}

/// The two integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Width {
    I32,
    I64,
}

/// Locals of `run`: 0..4 are `i32`, 4..8 are `i64`, 8.. are loop counters, one per nesting.
const I32_LOCALS: u32 = 0;
const I64_LOCALS: u32 = 4;
const COUNTERS: u32 = 8;
/// How deep loops nest.
const LOOP_DEPTH: u32 = 2;

/// Writes instructions of `run`'s body from the bytes.
struct Writer<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    body: Function,
}

impl Writer<'_, '_> {
    fn emit(&mut self, instruction: Instruction<'_>) {
        self.body.instruction(&instruction);
    }

    /// A value at the extremes of `width`, or a small or arbitrary one.
    fn constant(&mut self, width: Width) -> Result<()> {
        let pick = self.u.int_in_range(0..=7)?;
        match width {
            Width::I32 => {
                let value = match pick {
                    0 => 0,
                    1 => 1,
                    2 => -1,
                    3 => i32::MIN,
                    4 => i32::MAX,
                    5 => self.u.int_in_range(-8..=8)?,
                    _ => self.u.arbitrary()?,
                };
                self.emit(Instruction::I32Const(value));
            }
            Width::I64 => {
                let value = match pick {
                    0 => 0,
                    1 => 1,
                    2 => -1,
                    3 => i64::MIN,
                    4 => i64::MAX,
                    5 => self.u.int_in_range(-8..=8)?,
                    _ => self.u.arbitrary()?,
                };
                self.emit(Instruction::I64Const(value));
            }
        }
        Ok(())
    }

    fn local(&mut self, width: Width) -> Result<u32> {
        let base = match width {
            Width::I32 => I32_LOCALS,
            Width::I64 => I64_LOCALS,
        };
        Ok(base + self.u.int_in_range(0..=3)?)
    }

    /// An expression of `width` on the stack, at most `depth` deep.
    fn expression(&mut self, width: Width, depth: u32) -> Result<()> {
        let choice = if depth == 0 {
            self.u.int_in_range(0..=1)?
        } else {
            self.u.int_in_range(0..=6)?
        };
        match choice {
            0 => self.constant(width)?,
            1 => {
                let local = self.local(width)?;
                self.emit(Instruction::LocalGet(local));
            }
            2 | 3 => {
                self.expression(width, depth - 1)?;
                self.expression(width, depth - 1)?;
                if self.u.ratio(3, 4)? {
                    // An odd divisor: never zero (but `MIN / -1` still overflows).
                    self.emit(match width {
                        Width::I32 => Instruction::I32Const(1),
                        Width::I64 => Instruction::I64Const(1),
                    });
                    self.emit(match width {
                        Width::I32 => Instruction::I32Or,
                        Width::I64 => Instruction::I64Or,
                    });
                }
                self.division(width)?;
            }
            4 => {
                self.expression(width, depth - 1)?;
                self.expression(width, depth - 1)?;
                self.arithmetic(width)?;
            }
            5 => {
                // A call: the helper of this width scrambles its argument.
                self.expression(width, depth - 1)?;
                self.emit(Instruction::Call(match width {
                    Width::I32 => 1,
                    Width::I64 => 2,
                }));
            }
            _ => self.guarded_division(width, depth - 1)?,
        }
        Ok(())
    }

    fn division(&mut self, width: Width) -> Result<()> {
        let op = self.u.int_in_range(0..=3)?;
        self.emit(match (width, op) {
            (Width::I32, 0) => Instruction::I32DivS,
            (Width::I32, 1) => Instruction::I32DivU,
            (Width::I32, 2) => Instruction::I32RemS,
            (Width::I32, _) => Instruction::I32RemU,
            (Width::I64, 0) => Instruction::I64DivS,
            (Width::I64, 1) => Instruction::I64DivU,
            (Width::I64, 2) => Instruction::I64RemS,
            (Width::I64, _) => Instruction::I64RemU,
        });
        Ok(())
    }

    fn arithmetic(&mut self, width: Width) -> Result<()> {
        let op = self.u.int_in_range(0..=5)?;
        self.emit(match (width, op) {
            (Width::I32, 0) => Instruction::I32Add,
            (Width::I32, 1) => Instruction::I32Sub,
            (Width::I32, 2) => Instruction::I32Mul,
            (Width::I32, 3) => Instruction::I32Xor,
            (Width::I32, 4) => Instruction::I32Shl,
            (Width::I32, _) => Instruction::I32ShrS,
            (Width::I64, 0) => Instruction::I64Add,
            (Width::I64, 1) => Instruction::I64Sub,
            (Width::I64, 2) => Instruction::I64Mul,
            (Width::I64, 3) => Instruction::I64Xor,
            (Width::I64, 4) => Instruction::I64Shl,
            (Width::I64, _) => Instruction::I64ShrS,
        });
        Ok(())
    }

    /// `a / d` (or a remainder) that cannot trap: the divisor is tested against zero and the
    /// overflowing `MIN / -1` in locals first, with the operands' locals assigned to themselves
    /// in a block while their values are already on the stack (the shape of wasmi's fault).
    fn guarded_division(&mut self, width: Width, depth: u32) -> Result<()> {
        let (a, d) = (self.local(width)?, self.local(width)?);
        self.expression(width, depth)?;
        self.emit(Instruction::LocalSet(a));
        self.expression(width, depth)?;
        self.emit(Instruction::LocalSet(d));
        let (zero, minus_one, min, eq, ne, and, result) = match width {
            Width::I32 => (
                Instruction::I32Const(0),
                Instruction::I32Const(-1),
                Instruction::I32Const(i32::MIN),
                Instruction::I32Eq,
                Instruction::I32Ne,
                Instruction::I32And,
                ValType::I32,
            ),
            Width::I64 => (
                Instruction::I64Const(0),
                Instruction::I64Const(-1),
                Instruction::I64Const(i64::MIN),
                Instruction::I64Eq,
                Instruction::I64Ne,
                Instruction::I32And,
                ValType::I64,
            ),
        };
        // The guard: d != 0 && !(a == MIN && d == -1).
        self.emit(Instruction::LocalGet(d));
        self.emit(zero.clone());
        self.emit(ne);
        self.emit(Instruction::LocalGet(a));
        self.emit(min);
        self.emit(eq.clone());
        self.emit(Instruction::LocalGet(d));
        self.emit(minus_one);
        self.emit(eq);
        self.emit(and.clone());
        self.emit(Instruction::I32Eqz);
        self.emit(Instruction::I32And);
        self.emit(Instruction::If(BlockType::Result(result)));
        self.emit(Instruction::LocalGet(a));
        self.emit(Instruction::LocalGet(d));
        if self.u.arbitrary()? {
            self.emit(Instruction::Block(BlockType::Empty));
            for local in [a, d] {
                self.emit(Instruction::LocalGet(local));
                self.emit(Instruction::LocalSet(local));
            }
            self.emit(Instruction::End);
        }
        self.division(width)?;
        self.emit(Instruction::Else);
        self.emit(zero);
        self.emit(Instruction::End);
        Ok(())
    }

    /// One statement: a local set from an expression, a bounded loop of statements, or a store.
    fn statement(&mut self, depth: u32) -> Result<()> {
        let width = if self.u.arbitrary()? {
            Width::I32
        } else {
            Width::I64
        };
        match self.u.int_in_range(0..=5)? {
            0 if depth > 0 => {
                let counter = COUNTERS + depth;
                let trips = self.u.int_in_range(1..=6)?;
                self.emit(Instruction::I32Const(trips));
                self.emit(Instruction::LocalSet(counter));
                self.emit(Instruction::Loop(BlockType::Empty));
                for _ in 0..self.u.int_in_range(1..=3)? {
                    self.statement(depth - 1)?;
                }
                self.emit(Instruction::LocalGet(counter));
                self.emit(Instruction::I32Const(1));
                self.emit(Instruction::I32Sub);
                self.emit(Instruction::LocalTee(counter));
                self.emit(Instruction::BrIf(0));
                self.emit(Instruction::End);
            }
            1 => {
                let offset = u64::from(self.u.int_in_range(0..=15u32)?) * 8;
                self.emit(Instruction::I32Const(0));
                self.expression(width, 2)?;
                let memarg = MemArg {
                    offset,
                    align: 0,
                    target: MemArgTarget::Memory(0),
                    ordering: None,
                };
                self.emit(match width {
                    Width::I32 => Instruction::I32Store(memarg),
                    Width::I64 => Instruction::I64Store(memarg),
                });
            }
            _ => {
                let local = self.local(width)?;
                self.expression(width, 3)?;
                self.emit(Instruction::LocalSet(local));
            }
        }
        Ok(())
    }
}

/// A module of division and remainder (see the module docs), exporting `memory` and
/// `run() -> i64`, the locals folded together at the end.
pub fn division(seed: u64) -> Case {
    let data = bytes(seed ^ 0xd1_0000, 8192);
    let mut u = Unstructured::new(&data);
    let mut writer = Writer {
        u: &mut u,
        body: Function::new([
            (4, ValType::I32),
            (4, ValType::I64),
            (LOOP_DEPTH + 1, ValType::I32),
        ]),
    };
    // Locals start from constants (zero-initialised ones would make most divisions trap).
    for (width, base) in [(Width::I32, I32_LOCALS), (Width::I64, I64_LOCALS)] {
        for local in base..base + 4 {
            if writer.constant(width).is_err() {
                writer.emit(Instruction::I32Const(1));
                if width == Width::I64 {
                    writer.emit(Instruction::I64ExtendI32S);
                }
            }
            writer.emit(Instruction::LocalSet(local));
        }
    }
    let statements = writer.u.int_in_range(4..=24).unwrap_or(4);
    for _ in 0..statements {
        // Bytes running low end the body early (spent bytes read as zeros: divisors of zero).
        if writer.u.len() < 256 || writer.statement(LOOP_DEPTH).is_err() {
            break;
        }
    }
    let mut body = writer.body;
    body.instruction(&Instruction::I64Const(0));
    for local in I32_LOCALS..I32_LOCALS + 4 {
        body.instruction(&Instruction::LocalGet(local));
        body.instruction(&Instruction::I64ExtendI32S);
        body.instruction(&Instruction::I64Xor);
    }
    for local in I64_LOCALS..I64_LOCALS + 4 {
        body.instruction(&Instruction::LocalGet(local));
        body.instruction(&Instruction::I64Xor);
    }
    body.instruction(&Instruction::End);
    Case {
        wasm: division_module(body),
        calls: vec![("run", Vec::new())],
    }
}

/// `run` with two helpers that scramble an argument (`x * 3 ^ (x >> 7)`, by width).
fn division_module(run: Function) -> Vec<u8> {
    let mut types = TypeSection::new();
    types.ty().function([], [ValType::I64]);
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([ValType::I64], [ValType::I64]);
    let mut functions = FunctionSection::new();
    for ty in 0..3 {
        functions.function(ty);
    }
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: Some(1),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("run", ExportKind::Func, 0);
    let mut code = CodeSection::new();
    code.function(&run);
    for (mul, shift, xor, shr) in [
        (
            Instruction::I32Mul,
            Instruction::I32Const(7),
            Instruction::I32Xor,
            Instruction::I32ShrS,
        ),
        (
            Instruction::I64Mul,
            Instruction::I64Const(7),
            Instruction::I64Xor,
            Instruction::I64ShrS,
        ),
    ] {
        let three = match mul {
            Instruction::I32Mul => Instruction::I32Const(3),
            _ => Instruction::I64Const(3),
        };
        let mut helper = Function::new([]);
        for instruction in [
            Instruction::LocalGet(0),
            three,
            mul,
            Instruction::LocalGet(0),
            shift,
            shr,
            xor,
            Instruction::End,
        ] {
            helper.instruction(&instruction);
        }
        code.function(&helper);
    }
    let mut module = Module::new();
    module
        .section(&types)
        .section(&functions)
        .section(&memories)
        .section(&exports)
        .section(&code);
    module.finish()
}
