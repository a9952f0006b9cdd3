//! Re-encoding a validated module with gas and stack-height instrumentation (see the crate doc).

use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, ConstExpr, CustomSection, DataCountSection, DataSection, ElementSection, ExportKind,
    ExportSection, Function, FunctionSection, GlobalSection, GlobalType, ImportSection, Instruction,
    MemorySection, Module, TableSection, TypeSection, ValType,
};
use wasmparser::{FunctionBody, Operator};

use crate::error::PrepareError;
use crate::module::{FRAME_OVERHEAD, GAS_GLOBAL, STACK_GLOBAL, Sections};
use crate::schedule::{GasSchedule, OpCosts};

fn encode_error(e: impl std::fmt::Display) -> PrepareError {
    PrepareError::Encode(e.to_string())
}

/// Indices of what instrumentation adds to the module, and the figures its stack accounting uses.
struct Injected {
    gas_global: u32,
    stack_global: u32,
    /// `(param i64)`: subtracts its argument from the gas global, traps below zero.
    charge_function: u32,
    stack_limit: u32,
    /// Stack cost charged around a `call_indirect`.
    indirect_stack_cost: u32,
}

/// Gives each defined function entered other than by a direct call — exported, or placed in a
/// table by an element segment — an entry wrapper that charges its entry cost (see the crate doc).
/// As a [`Reencode`] of the export and element sections, it points them at the wrappers,
/// numbered from `first` in the order first met.
struct EntryWrappers {
    imported_functions: u32,
    first: u32,
    /// The wrapped functions, in wrapper order.
    wrapped: Vec<u32>,
    index: HashMap<u32, u32>,
    /// Whether the element section is being re-encoded (its functions are table targets).
    in_elements: bool,
    /// Defined functions some table may hold: the only targets of `call_indirect`.
    table_targets: Vec<u32>,
}

impl Reencode for EntryWrappers {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Infallible>> {
        if func < self.imported_functions {
            return Ok(func);
        }
        if self.in_elements {
            self.table_targets.push(func);
        }
        let next = self
            .first
            .saturating_add(u32::try_from(self.wrapped.len()).unwrap_or(u32::MAX));
        Ok(*self.index.entry(func).or_insert_with(|| {
            self.wrapped.push(func);
            next
        }))
    }
}

pub(crate) fn instrument(sections: &Sections<'_>, schedule: &GasSchedule) -> Result<Vec<u8>, PrepareError> {
    let mut re = RoundtripReencoder;
    let defined_functions = u32::try_from(sections.bodies.len()).map_err(encode_error)?;
    let mut injected = Injected {
        gas_global: sections.defined_globals,
        stack_global: sections.defined_globals + 1,
        charge_function: sections.imported_functions + defined_functions,
        stack_limit: schedule.limits.max_stack_height,
        indirect_stack_cost: 0,
    };
    let charge_type = sections.type_count;

    // Exports and element segments point at entry wrappers; encode them first to know which.
    let mut wrappers = EntryWrappers {
        imported_functions: sections.imported_functions,
        first: injected.charge_function + 1,
        wrapped: Vec::new(),
        index: HashMap::new(),
        in_elements: false,
        table_targets: Vec::new(),
    };
    let mut exports = ExportSection::new();
    if let Some(reader) = sections.exports.clone() {
        wrappers
            .parse_export_section(&mut exports, reader)
            .map_err(encode_error)?;
    }
    exports.export(GAS_GLOBAL, ExportKind::Global, injected.gas_global);
    exports.export(STACK_GLOBAL, ExportKind::Global, injected.stack_global);
    let elements = match sections.elements.clone() {
        Some(reader) => {
            let mut elements = ElementSection::new();
            wrappers.in_elements = true;
            wrappers
                .parse_element_section(&mut elements, reader)
                .map_err(encode_error)?;
            Some(elements)
        }
        None => None,
    };

    // Each defined function's entry cost moves to its callers (see `fold_entry_costs`).
    let bodies = sections
        .bodies
        .iter()
        .map(|body| {
            body.get_operators_reader()
                .map_err(encode_error)?
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
                .map_err(encode_error)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let plans: Vec<Vec<Charge>> = bodies
        .iter()
        .map(|ops| plan_charges(ops, sections.imported_functions, &schedule.ops))
        .collect();
    let entry_costs: Vec<u64> = plans
        .iter()
        .map(|charges| charges.first().map_or(0, |entry| entry.cost))
        .collect();
    let entry_cost = |function: u32| {
        function
            .checked_sub(sections.imported_functions)
            .and_then(|defined| entry_costs.get(defined as usize))
            .copied()
            .unwrap_or(0)
    };

    let mut module = Module::new();

    let mut types = TypeSection::new();
    if let Some(reader) = sections.types.clone() {
        re.parse_type_section(&mut types, reader).map_err(encode_error)?;
    }
    types.ty().function([ValType::I64], []);
    module.section(&types);

    if let Some(reader) = sections.imports.clone() {
        let mut imports = ImportSection::new();
        re.parse_import_section(&mut imports, reader)
            .map_err(encode_error)?;
        module.section(&imports);
    }

    let mut functions = FunctionSection::new();
    if let Some(reader) = sections.functions.clone() {
        re.parse_function_section(&mut functions, reader)
            .map_err(encode_error)?;
    }
    functions.function(charge_type);
    let defined_types = match sections.functions.clone() {
        Some(reader) => reader
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(encode_error)?,
        None => Vec::new(),
    };
    let defined_index = |function: u32| (function - sections.imported_functions) as usize;
    for &function in &wrappers.wrapped {
        let ty = defined_types
            .get(defined_index(function))
            .copied()
            .ok_or_else(|| encode_error("wrapped function without a type"))?;
        functions.function(ty);
    }
    module.section(&functions);

    if let Some(reader) = sections.tables.clone() {
        let mut tables = TableSection::new();
        re.parse_table_section(&mut tables, reader)
            .map_err(encode_error)?;
        module.section(&tables);
    }
    if let Some(reader) = sections.memories.clone() {
        // Every memory gets a maximum within the limit, so `memory.grow` past it fails (-1) on
        // every engine without engine-specific tunables.
        let limit = u64::from(schedule.limits.max_memory_pages);
        let mut memories = MemorySection::new();
        for memory in reader {
            let mut ty = re
                .memory_type(memory.map_err(encode_error)?)
                .map_err(encode_error)?;
            ty.maximum = Some(ty.maximum.map_or(limit, |maximum| maximum.min(limit)));
            memories.memory(ty);
        }
        module.section(&memories);
    }

    let mut globals = GlobalSection::new();
    if let Some(reader) = sections.globals.clone() {
        re.parse_global_section(&mut globals, reader)
            .map_err(encode_error)?;
    }
    let mutable = |val_type| GlobalType {
        val_type,
        mutable: true,
        shared: false,
    };
    globals.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
    globals.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
    module.section(&globals);

    module.section(&exports);
    if let Some(elements) = &elements {
        module.section(elements);
    }
    if let Some(count) = sections.data_count {
        module.section(&DataCountSection { count });
    }

    let mut code = CodeSection::new();
    // An indirect call enters a table target through its wrapper, whose frame the callee's cost
    // does not count.
    injected.indirect_stack_cost = wrappers
        .table_targets
        .iter()
        .map(|&function| {
            let defined = defined_index(function);
            let params = sections.param_counts.get(defined).copied().unwrap_or(0);
            let results = sections.result_counts.get(defined).copied().unwrap_or(0);
            let wrapper = params
                .saturating_add(params.max(results).max(2))
                .saturating_add(FRAME_OVERHEAD);
            sections
                .stack_costs
                .get(defined)
                .copied()
                .unwrap_or(0)
                .saturating_add(wrapper)
        })
        .max()
        .unwrap_or(0);
    for (index, ((body, ops), mut charges)) in sections.bodies.iter().zip(bodies).zip(plans).enumerate() {
        let params = sections.param_counts.get(index).copied().unwrap_or(0);
        fold_entry_costs(&mut charges, entry_cost);
        let function = instrument_function(body, ops, &charges, params, sections, schedule, &injected)?;
        code.function(&function);
    }
    code.function(&charge_function(&injected));
    for &function in &wrappers.wrapped {
        let params = sections
            .param_counts
            .get(defined_index(function))
            .copied()
            .unwrap_or(0);
        code.function(&entry_wrapper(&injected, function, params, entry_cost(function)));
    }
    module.section(&code);

    if let Some(reader) = sections.data.clone() {
        let mut data = DataSection::new();
        re.parse_data_section(&mut data, reader).map_err(encode_error)?;
        module.section(&data);
    }
    for custom in &sections.customs {
        module.section(&CustomSection {
            name: Cow::Borrowed(custom.name()),
            data: Cow::Borrowed(custom.data()),
        });
    }
    Ok(module.finish())
}

/// The cost of executing `op` once.
fn op_cost(costs: &OpCosts, op: &Operator<'_>) -> u64 {
    use Operator as O;
    match op {
        O::Block { .. } | O::Loop { .. } | O::If { .. } | O::Else | O::End | O::Nop => costs.structure,
        O::Br { .. } | O::BrIf { .. } | O::BrTable { .. } | O::Return | O::Unreachable => costs.branch,
        O::Call { .. } => costs.call,
        O::CallIndirect { .. } => costs.call_indirect,
        O::GlobalGet { .. } | O::GlobalSet { .. } => costs.global,
        O::I32Load { .. }
        | O::I64Load { .. }
        | O::I32Load8S { .. }
        | O::I32Load8U { .. }
        | O::I32Load16S { .. }
        | O::I32Load16U { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. } => costs.load,
        O::I32Store { .. }
        | O::I64Store { .. }
        | O::I32Store8 { .. }
        | O::I32Store16 { .. }
        | O::I64Store8 { .. }
        | O::I64Store16 { .. }
        | O::I64Store32 { .. } => costs.store,
        O::I32Mul | O::I64Mul => costs.mul,
        O::I32DivS
        | O::I32DivU
        | O::I32RemS
        | O::I32RemU
        | O::I64DivS
        | O::I64DivU
        | O::I64RemS
        | O::I64RemU => costs.div,
        O::MemorySize { .. } => costs.memory_size,
        O::MemoryGrow { .. } => costs.memory_grow,
        O::MemoryCopy { .. }
        | O::MemoryFill { .. }
        | O::MemoryInit { .. }
        | O::DataDrop { .. }
        | O::TableCopy { .. }
        | O::TableInit { .. }
        | O::ElemDrop { .. } => costs.bulk,
        // Everything else the policy admits is a simple integer, local, constant or parametric
        // operator.
        _ => costs.simple,
    }
}

/// Whether a metered segment ends after `op` (see the crate doc).
fn ends_segment(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::Else
            | Operator::End
            | Operator::Br { .. }
            | Operator::BrIf { .. }
            | Operator::BrTable { .. }
            | Operator::Return
            | Operator::Unreachable
    )
}

/// The per-unit cost charged dynamically before `op`, if it has one.
fn dynamic_unit_cost(schedule: &GasSchedule, op: &Operator<'_>) -> Option<u64> {
    match op {
        Operator::MemoryGrow { .. } => Some(schedule.dynamic.memory_grow_page),
        Operator::MemoryCopy { .. } | Operator::MemoryFill { .. } | Operator::MemoryInit { .. } => {
            Some(schedule.dynamic.bulk_memory_byte)
        }
        Operator::TableCopy { .. } | Operator::TableInit { .. } => Some(schedule.dynamic.bulk_table_element),
        _ => None,
    }
}

fn i64_const(value: u64) -> Instruction<'static> {
    // Costs are sums of schedule entries over one function body; they stay far below i64::MAX.
    Instruction::I64Const(i64::try_from(value).unwrap_or(i64::MAX))
}

/// How a charge is checked.
#[derive(Clone, Copy)]
enum Check {
    /// Not at all: the segment only decrements.
    No,
    /// By reading the global back (no extra local: loop-free functions, where an extra local
    /// would cost every call its initialisation).
    Reread,
    /// By keeping the new value in this i64 local (functions with loops, where the check runs
    /// every iteration).
    Local(u32),
}

/// `gas -= cost`, and, where the segment is a check point, `if gas < 0 { unreachable }`.
fn emit_charge(function: &mut Function, injected: &Injected, cost: Instruction<'_>, check: Check) {
    function.instruction(&Instruction::GlobalGet(injected.gas_global));
    function.instruction(&cost);
    function.instruction(&Instruction::I64Sub);
    match check {
        Check::No => {
            function.instruction(&Instruction::GlobalSet(injected.gas_global));
            return;
        }
        Check::Reread => {
            function.instruction(&Instruction::GlobalSet(injected.gas_global));
            function.instruction(&Instruction::GlobalGet(injected.gas_global));
        }
        Check::Local(tmp) => {
            function.instruction(&Instruction::LocalTee(tmp));
            function.instruction(&Instruction::GlobalSet(injected.gas_global));
            function.instruction(&Instruction::LocalGet(tmp));
        }
    }
    emit_trap_if_negative(function);
}

/// `if gas < 0 { unreachable }` without charging: a function entry whose cost its callers paid.
fn emit_check(function: &mut Function, injected: &Injected) {
    function.instruction(&Instruction::GlobalGet(injected.gas_global));
    emit_trap_if_negative(function);
}

/// Traps if the `i64` on top of the stack is negative.
fn emit_trap_if_negative(function: &mut Function) {
    function.instruction(&Instruction::I64Const(0));
    function.instruction(&Instruction::I64LtS);
    emit_trap_if(function);
}

/// Traps if the `i32` on top of the stack is not zero.
fn emit_trap_if(function: &mut Function) {
    function.instruction(&Instruction::If(wasm_encoder::BlockType::Empty));
    function.instruction(&Instruction::Unreachable);
    function.instruction(&Instruction::End);
}

fn charge_function(injected: &Injected) -> Function {
    let mut function = Function::new([]);
    emit_charge(&mut function, injected, Instruction::LocalGet(0), Check::Reread);
    function.instruction(&Instruction::End);
    function
}

/// The entry wrapper of defined function `callee`: charges its entry cost (unchecked: the callee
/// checks on entry) and calls it with the same arguments. The wrapper's own operators are free.
fn entry_wrapper(injected: &Injected, callee: u32, params: u32, entry_cost: u64) -> Function {
    let mut function = Function::new([]);
    if entry_cost > 0 {
        emit_charge(&mut function, injected, i64_const(entry_cost), Check::No);
    }
    for param in 0..params {
        function.instruction(&Instruction::LocalGet(param));
    }
    function.instruction(&Instruction::Call(callee));
    function.instruction(&Instruction::End);
    function
}

/// Before a call: `stack = base + cost; if stack > limit { unreachable }`, where local `base` holds
/// the counter as the function found it on entry, and `scratch` is a free i32 local. Nothing is
/// undone after the call: the next call of this function starts again from `base`.
fn emit_stack(function: &mut Function, injected: &Injected, cost: u32, base: u32, scratch: u32) {
    function.instruction(&Instruction::LocalGet(base));
    function.instruction(&Instruction::I32Const(i32::try_from(cost).unwrap_or(i32::MAX)));
    function.instruction(&Instruction::I32Add);
    function.instruction(&Instruction::LocalTee(scratch));
    function.instruction(&Instruction::GlobalSet(injected.stack_global));
    function.instruction(&Instruction::LocalGet(scratch));
    function.instruction(&Instruction::I32Const(
        i32::try_from(injected.stack_limit).unwrap_or(i32::MAX),
    ));
    function.instruction(&Instruction::I32GtU);
    emit_trap_if(function);
}

/// One charge injected into a function body.
#[derive(Debug, PartialEq, Eq)]
struct Charge {
    /// Index of the operator the charge is emitted before.
    at: usize,
    /// Gas it subtracts.
    cost: u64,
    /// Whether it traps on a negative counter.
    checked: bool,
    /// Defined functions called directly in the code it pays for; their entry costs are added to
    /// it by [`fold_entry_costs`].
    callees: Vec<u32>,
}

/// Where a function body is charged, and how much (see the crate doc).
///
/// The body is cut into segments (ends after [`ends_segment`] operators). The counter is checked
/// at function entry and at loop heads, except at a loop head whose first segment calls a defined
/// function: that callee's entry check runs on every iteration. When nothing in the body can
/// leave it early (no `return`, no branch to the function's own label), every segment that
/// starts at the top level of the body runs on every call that returns normally, so its cost is
/// added to the entry charge: fewer updates of the counter on call-heavy code. The costs are the
/// body's own; [`fold_entry_costs`] moves entry costs from callees to callers.
fn plan_charges(ops: &[Operator<'_>], imported_functions: u32, costs: &OpCosts) -> Vec<Charge> {
    struct Segment {
        start: usize,
        cost: u64,
        loop_head: bool,
        top_level: bool,
        callees: Vec<u32>,
    }
    let mut segments = Vec::new();
    let mut current = Segment {
        start: 0,
        cost: 0,
        loop_head: false,
        top_level: true,
        callees: Vec::new(),
    };
    // Constructs open around the current operator (the function body itself not counted).
    let mut depth = 0u32;
    let mut leaves_early = false;
    for (i, op) in ops.iter().enumerate() {
        current.cost = current.cost.saturating_add(op_cost(costs, op));
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => depth += 1,
            Operator::End => depth = depth.saturating_sub(1),
            Operator::Return => leaves_early = true,
            Operator::Br { relative_depth } | Operator::BrIf { relative_depth } => {
                leaves_early |= *relative_depth >= depth;
            }
            Operator::BrTable { targets } => {
                leaves_early |= targets.default() >= depth
                    || targets
                        .targets()
                        .any(|target| target.map_or(true, |target| target >= depth));
            }
            Operator::Call { function_index } if *function_index >= imported_functions => {
                current.callees.push(*function_index);
            }
            _ => {}
        }
        if ends_segment(op) {
            let next = Segment {
                start: i + 1,
                cost: 0,
                loop_head: matches!(op, Operator::Loop { .. }),
                top_level: depth == 0,
                callees: Vec::new(),
            };
            segments.push(std::mem::replace(&mut current, next));
        }
    }
    if current.start < ops.len() {
        segments.push(current);
    }

    let mut charges: Vec<Charge> = Vec::with_capacity(segments.len());
    for (index, segment) in segments.into_iter().enumerate() {
        if index > 0 && segment.top_level && !leaves_early {
            if let Some(entry) = charges.first_mut() {
                entry.cost = entry.cost.saturating_add(segment.cost);
                entry.callees.extend(segment.callees);
            }
            continue;
        }
        let checked = index == 0 || (segment.loop_head && segment.callees.is_empty());
        if segment.cost > 0 || checked {
            charges.push(Charge {
                at: segment.start,
                cost: segment.cost,
                checked,
                callees: segment.callees,
            });
        }
    }
    charges
}

/// Moves a function's entry cost (its first charge, from [`plan_charges`]) to whoever enters it:
/// each charge of `charges` also pays the entry costs of the functions its code calls, and the
/// function's own entry charge keeps only those (its callers and its entry wrapper pay the rest).
fn fold_entry_costs(charges: &mut [Charge], entry_cost: impl Fn(u32) -> u64) {
    for (index, charge) in charges.iter_mut().enumerate() {
        let own = if index == 0 { 0 } else { charge.cost };
        charge.cost = charge
            .callees
            .iter()
            .fold(own, |cost, &callee| cost.saturating_add(entry_cost(callee)));
    }
}

/// Re-encodes one function body (its operators `ops`) with the planned `charges`, dynamic
/// charges and stack-height accounting around calls.
fn instrument_function(
    body: &FunctionBody<'_>,
    ops: Vec<Operator<'_>>,
    charges: &[Charge],
    params: u32,
    sections: &Sections<'_>,
    schedule: &GasSchedule,
    injected: &Injected,
) -> Result<Function, PrepareError> {
    let mut re = RoundtripReencoder;

    // Locals: the original declarations, plus one i32 scratch local if a dynamic charge or the
    // stack accounting needs it, one i32 for the stack counter at entry if the function calls a
    // function of the module, and one i64 for the counter's checks if a loop head is checked.
    let mut locals = Vec::new();
    let mut declared = 0u32;
    for local in body.get_locals_reader().map_err(encode_error)? {
        let (count, ty) = local.map_err(encode_error)?;
        declared = declared.saturating_add(count);
        locals.push((count, re.val_type(ty).map_err(encode_error)?));
    }
    // Parameters come first, then the declared locals, then these.
    let mut next_local = params + declared;
    let stack_cost = |op: &Operator<'_>| match op {
        Operator::Call { function_index } if *function_index >= sections.imported_functions => sections
            .stack_costs
            .get((function_index - sections.imported_functions) as usize)
            .copied(),
        Operator::CallIndirect { .. } => Some(injected.indirect_stack_cost),
        _ => None,
    };
    let calls = ops.iter().any(|op| stack_cost(op).is_some());
    let needs_scratch = calls || ops.iter().any(|op| dynamic_unit_cost(schedule, op).is_some());
    let scratch = next_local;
    if needs_scratch {
        locals.push((1, ValType::I32));
        next_local += 1;
    }
    let base = next_local;
    if calls {
        locals.push((1, ValType::I32));
        next_local += 1;
    }
    let loop_check = if charges.iter().skip(1).any(|charge| charge.checked) {
        locals.push((1, ValType::I64));
        Check::Local(next_local)
    } else {
        Check::Reread
    };
    let mut function = Function::new(locals);
    if calls {
        function.instruction(&Instruction::GlobalGet(injected.stack_global));
        function.instruction(&Instruction::LocalSet(base));
    }
    let mut charges = charges.iter().peekable();

    for (i, op) in ops.into_iter().enumerate() {
        if let Some(charge) = charges.next_if(|charge| charge.at == i) {
            match (charge.cost, charge.checked) {
                (0, true) => emit_check(&mut function, injected),
                (cost, true) => emit_charge(&mut function, injected, i64_const(cost), loop_check),
                (cost, false) => emit_charge(&mut function, injected, i64_const(cost), Check::No),
            }
        }
        if let Some(unit) = dynamic_unit_cost(schedule, &op) {
            // The count (pages, bytes, elements) is the operand on top of the stack.
            function.instruction(&Instruction::LocalTee(scratch));
            function.instruction(&Instruction::I64ExtendI32U);
            function.instruction(&i64_const(unit));
            function.instruction(&Instruction::I64Mul);
            function.instruction(&Instruction::Call(injected.charge_function));
            function.instruction(&Instruction::LocalGet(scratch));
        }
        if let Some(cost) = stack_cost(&op) {
            emit_stack(&mut function, injected, cost, base, scratch);
        }
        function.instruction(&re.instruction(op).map_err(encode_error)?);
    }
    Ok(function)
}
