//! The validation pass: feature policy, limits, imports and exports; then instrumentation.

use wasmparser::{
    BinaryReader, CompositeInnerType, CustomSectionReader, DataSectionReader, ElementSectionReader,
    ExportSectionReader, ExternalKind, FuncValidatorAllocations, FunctionBody, FunctionSectionReader,
    GlobalSectionReader, ImportSectionReader, MemorySectionReader, Name, NameSectionReader, Operator,
    OperatorsReader, Parser, Payload, TableSectionReader, TypeRef, TypeSectionReader, ValType, ValidPayload,
    Validator, WasmFeatures,
};

use crate::error::{Feature, FunctionRef, Location, PrepareError};
use crate::instrument;
use crate::schedule::{GasSchedule, Limits};

/// Export name of the injected gas counter: a mutable `i64` global.
pub const GAS_GLOBAL: &str = "__weft_gas";
/// Export name of the injected stack-height counter: a mutable `i32` global.
pub const STACK_GLOBAL: &str = "__weft_stack";
/// Export names with this prefix are reserved for Weft.
const RESERVED_PREFIX: &str = "__weft";
/// Stack slots counted per call frame beyond locals and operands (return address, frame pointer).
pub const FRAME_OVERHEAD: u32 = 2;

/// A wasm value type of the host ABI (integers only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbiType {
    /// `i32`
    I32,
    /// `i64`
    I64,
}

/// A host function a contract may import from module `env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFunction {
    /// Its name in module `env`.
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [AbiType],
    /// Result types.
    pub results: &'static [AbiType],
}

/// A module that passed every check, with gas and stack-height instrumentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedModule {
    /// The instrumented module.
    pub code: Vec<u8>,
    /// Exported functions that take no parameters and return nothing: the callable entry points.
    pub entry_points: Vec<String>,
}

/// The features Weft accepts (see the crate doc).
fn allowed_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::CALL_INDIRECT_OVERLONG
}

/// The sections of a validated module, for re-encoding.
pub(crate) struct Sections<'a> {
    pub types: Option<TypeSectionReader<'a>>,
    pub imports: Option<ImportSectionReader<'a>>,
    pub functions: Option<FunctionSectionReader<'a>>,
    pub tables: Option<TableSectionReader<'a>>,
    pub memories: Option<MemorySectionReader<'a>>,
    pub globals: Option<GlobalSectionReader<'a>>,
    pub exports: Option<ExportSectionReader<'a>>,
    pub elements: Option<ElementSectionReader<'a>>,
    pub data_count: Option<u32>,
    pub data: Option<DataSectionReader<'a>>,
    pub bodies: Vec<FunctionBody<'a>>,
    pub customs: Vec<CustomSectionReader<'a>>,
    /// Number of types in the type section.
    pub type_count: u32,
    /// Number of imported functions (they come first in the function index space).
    pub imported_functions: u32,
    /// Number of globals defined by the module (no global may be imported).
    pub defined_globals: u32,
    /// Static stack cost of each defined function.
    pub stack_costs: Vec<u32>,
    /// Parameter count of each defined function.
    pub param_counts: Vec<u32>,
    /// Result count of each defined function.
    pub result_counts: Vec<u32>,
}

/// Validates `wasm` against the feature policy, the limits of `schedule` and the host functions
/// `host` offers, and returns it instrumented for gas and stack height.
pub fn prepare(
    wasm: &[u8],
    schedule: &GasSchedule,
    host: &[HostFunction],
) -> Result<PreparedModule, PrepareError> {
    let limits = &schedule.limits;
    check(limits.max_code_size, wasm.len(), "code size in bytes", None)?;
    let names = function_names(wasm);
    let (sections, entry_points) = validate(wasm, limits, host, &names)?;
    let code = instrument::instrument(&sections, schedule)?;
    Ok(PreparedModule { code, entry_points })
}

fn check(
    limit: u32,
    actual: impl TryInto<u64>,
    what: &'static str,
    at: Option<Location>,
) -> Result<(), PrepareError> {
    let actual = actual.try_into().unwrap_or(u64::MAX);
    if actual > u64::from(limit) {
        return Err(PrepareError::LimitExceeded {
            what,
            actual,
            limit: u64::from(limit),
            at,
        });
    }
    Ok(())
}

/// Function names from the `name` section, best effort: a malformed name section only loses names.
fn function_names(wasm: &[u8]) -> Vec<(u32, String)> {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let Ok(Payload::CustomSection(reader)) = payload else {
            continue;
        };
        let wasmparser::KnownCustom::Name(section) = reader.as_known() else {
            continue;
        };
        collect_names(section, &mut names);
    }
    names
}

fn collect_names(section: NameSectionReader<'_>, out: &mut Vec<(u32, String)>) {
    for name in section.into_iter().flatten() {
        if let Name::Function(map) = name {
            out.extend(
                map.into_iter()
                    .flatten()
                    .map(|naming| (naming.index, naming.name.to_string())),
            );
        }
    }
}

fn function_ref(index: u32, names: &[(u32, String)]) -> FunctionRef {
    let name = names.iter().find(|(i, _)| *i == index).map(|(_, n)| n.clone());
    FunctionRef { index, name }
}

/// Classifies a validator error: a disabled feature, or plain invalid wasm.
fn classify(error: wasmparser::BinaryReaderError, function: Option<FunctionRef>) -> PrepareError {
    let message = error.message().to_string();
    let location = Location {
        offset: error.offset(),
        function,
    };
    let lower = message.to_ascii_lowercase();
    let feature = [
        ("relaxed simd", Feature::Simd),
        ("simd", Feature::Simd),
        ("floating-point", Feature::Floats),
        ("threads", Feature::Threads),
        ("shared", Feature::Threads),
        ("tail call", Feature::TailCalls),
        ("exceptions", Feature::Exceptions),
        ("exception", Feature::Exceptions),
        ("memory64", Feature::Memory64),
        ("multiple memories", Feature::MultiMemory),
        ("multi-memory", Feature::MultiMemory),
        ("gc proposal", Feature::Gc),
        ("function references", Feature::Gc),
        ("gc support", Feature::Gc),
        ("gc feature", Feature::Gc),
        ("reference types", Feature::ReferenceTypes),
        ("extended const", Feature::ExtendedConst),
        ("wide arithmetic", Feature::WideArithmetic),
    ]
    .into_iter()
    .find(|(needle, _)| lower.contains(needle))
    .map(|(_, feature)| feature)
    .or_else(|| {
        // The validator does not name extended-const; its arithmetic in a constant expression is it.
        let extended = ["add", "sub", "mul"]
            .iter()
            .any(|op| lower.contains(&format!("non-constant operator: i32.{op}")))
            || ["add", "sub", "mul"]
                .iter()
                .any(|op| lower.contains(&format!("non-constant operator: i64.{op}")));
        extended.then_some(Feature::ExtendedConst)
    });
    match feature {
        Some(feature) => PrepareError::FeatureNotAllowed {
            feature,
            location,
            message,
        },
        None => PrepareError::Invalid { location, message },
    }
}

fn func_type_of(types: &[(Vec<ValType>, Vec<ValType>)], index: u32) -> Option<&(Vec<ValType>, Vec<ValType>)> {
    types.get(index as usize)
}

fn abi_matches(wasm: &[ValType], abi: &[AbiType]) -> bool {
    wasm.len() == abi.len()
        && wasm.iter().zip(abi).all(|(w, a)| {
            matches!(
                (w, a),
                (ValType::I32, AbiType::I32) | (ValType::I64, AbiType::I64)
            )
        })
}

fn validate<'a>(
    wasm: &'a [u8],
    limits: &Limits,
    host: &[HostFunction],
    names: &[(u32, String)],
) -> Result<(Sections<'a>, Vec<String>), PrepareError> {
    let mut validator = Validator::new_with_features(allowed_features());
    let mut sections = Sections {
        types: None,
        imports: None,
        functions: None,
        tables: None,
        memories: None,
        globals: None,
        exports: None,
        elements: None,
        data_count: None,
        data: None,
        bodies: Vec::new(),
        customs: Vec::new(),
        type_count: 0,
        imported_functions: 0,
        defined_globals: 0,
        stack_costs: Vec::new(),
        param_counts: Vec::new(),
        result_counts: Vec::new(),
    };
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut function_types: Vec<u32> = Vec::new();
    let mut exports: Vec<(String, ExternalKind, u32)> = Vec::new();
    let mut allocations = FuncValidatorAllocations::default();
    let mut code_index = 0u32;

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| classify(e, None))?;
        let valid = validator.payload(&payload).map_err(|e| classify(e, None))?;
        match payload {
            Payload::TypeSection(reader) => {
                check(limits.max_types, reader.count(), "number of types", None)?;
                let mut total_params = 0u64;
                for group in reader.clone() {
                    for sub in group.map_err(|e| classify(e, None))?.into_types() {
                        let CompositeInnerType::Func(ty) = &sub.composite_type.inner else {
                            return Err(PrepareError::FeatureNotAllowed {
                                feature: Feature::Gc,
                                location: Location {
                                    offset: reader.range().start,
                                    function: None,
                                },
                                message: "non-function type".into(),
                            });
                        };
                        check(
                            limits.max_params,
                            ty.params().len(),
                            "parameters of a function type",
                            None,
                        )?;
                        check(
                            limits.max_results,
                            ty.results().len(),
                            "results of a function type",
                            None,
                        )?;
                        total_params += ty.params().len() as u64;
                        types.push((ty.params().to_vec(), ty.results().to_vec()));
                    }
                }
                check(
                    limits.max_total_params,
                    total_params,
                    "parameters of all function types",
                    None,
                )?;
                sections.type_count = u32::try_from(types.len()).unwrap_or(u32::MAX);
                sections.types = Some(reader);
            }
            Payload::ImportSection(reader) => {
                for import in reader.clone().into_imports() {
                    let import = import.map_err(|e| classify(e, None))?;
                    let refuse = |reason: &str| PrepareError::Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        reason: reason.to_string(),
                    };
                    let TypeRef::Func(type_index) = import.ty else {
                        return Err(refuse(
                            "only functions may be imported (the module defines its own memory, table and globals)",
                        ));
                    };
                    if import.module != "env" {
                        return Err(refuse("host functions live in module `env`"));
                    }
                    let Some(function) = host.iter().find(|f| f.name == import.name) else {
                        return Err(refuse("the host has no function of that name (see docs/ABI.md)"));
                    };
                    let (params, results) =
                        func_type_of(&types, type_index).ok_or_else(|| refuse("unknown type index"))?;
                    if !abi_matches(params, function.params) || !abi_matches(results, function.results) {
                        return Err(refuse(&format!(
                            "signature mismatch: the host defines ({:?}) -> ({:?})",
                            function.params, function.results
                        )));
                    }
                    function_types.push(type_index);
                    sections.imported_functions += 1;
                }
                check(
                    limits.max_imports,
                    sections.imported_functions,
                    "number of imports",
                    None,
                )?;
                sections.imports = Some(reader);
            }
            Payload::FunctionSection(reader) => {
                check(limits.max_functions, reader.count(), "number of functions", None)?;
                for ty in reader.clone() {
                    function_types.push(ty.map_err(|e| classify(e, None))?);
                }
                sections.functions = Some(reader);
            }
            Payload::TableSection(reader) => {
                for table in reader.clone() {
                    let table = table.map_err(|e| classify(e, None))?;
                    check(
                        limits.max_table_elements,
                        table.ty.initial,
                        "initial table size",
                        None,
                    )?;
                    if let Some(maximum) = table.ty.maximum {
                        check(limits.max_table_elements, maximum, "maximum table size", None)?;
                    }
                }
                sections.tables = Some(reader);
            }
            Payload::MemorySection(reader) => {
                for memory in reader.clone() {
                    let memory = memory.map_err(|e| classify(e, None))?;
                    check(
                        limits.max_memory_pages,
                        memory.initial,
                        "initial memory pages",
                        None,
                    )?;
                    if let Some(maximum) = memory.maximum {
                        check(limits.max_memory_pages, maximum, "maximum memory pages", None)?;
                    }
                }
                sections.memories = Some(reader);
            }
            Payload::GlobalSection(reader) => {
                check(limits.max_globals, reader.count(), "number of globals", None)?;
                sections.defined_globals = reader.count();
                sections.globals = Some(reader);
            }
            Payload::ExportSection(reader) => {
                check(limits.max_exports, reader.count(), "number of exports", None)?;
                for export in reader.clone() {
                    let export = export.map_err(|e| classify(e, None))?;
                    let refuse = |reason: &str| PrepareError::Export {
                        name: export.name.to_string(),
                        reason: reason.to_string(),
                    };
                    if export.name.starts_with(RESERVED_PREFIX) {
                        return Err(refuse("names starting with `__weft` are reserved"));
                    }
                    if export.name.len() > limits.max_export_name_len as usize {
                        return Err(refuse(&format!(
                            "longer than {} bytes",
                            limits.max_export_name_len
                        )));
                    }
                    exports.push((export.name.to_string(), export.kind, export.index));
                }
                sections.exports = Some(reader);
            }
            Payload::StartSection { .. } => return Err(PrepareError::StartFunction),
            Payload::ElementSection(reader) => {
                check(
                    limits.max_element_segments,
                    reader.count(),
                    "number of element segments",
                    None,
                )?;
                sections.elements = Some(reader);
            }
            Payload::DataCountSection { count, .. } => sections.data_count = Some(count),
            Payload::DataSection(reader) => {
                check(
                    limits.max_data_segments,
                    reader.count(),
                    "number of data segments",
                    None,
                )?;
                sections.data = Some(reader);
            }
            Payload::CodeSectionEntry(body) => {
                let index = sections.imported_functions + code_index;
                code_index += 1;
                let ValidPayload::Func(to_validate, _) = valid else {
                    return Err(PrepareError::Encode(
                        "validator did not hand out a function body".into(),
                    ));
                };
                let location = || Location {
                    offset: body.range().start,
                    function: Some(function_ref(index, names)),
                };
                check(
                    limits.max_function_body_size,
                    body.range().end - body.range().start,
                    "function body size in bytes",
                    Some(location()),
                )?;
                let mut func_validator = to_validate.into_validator(std::mem::take(&mut allocations));
                let fail = |e| classify(e, Some(function_ref(index, names)));
                let mut reader: BinaryReader<'_> = body.get_binary_reader();
                func_validator.read_locals(&mut reader).map_err(fail)?;
                check(
                    limits.max_locals,
                    func_validator.len_locals(),
                    "locals of a function",
                    Some(location()),
                )?;
                let mut operators = OperatorsReader::new(reader);
                let mut max_height = 0u32;
                while !operators.eof() {
                    let offset = operators.original_position();
                    let op = operators.read().map_err(fail)?;
                    if let Operator::BrTable { targets } = &op {
                        check(
                            limits.max_br_table_targets,
                            targets.len(),
                            "targets of a br_table",
                            Some(location()),
                        )?;
                    }
                    func_validator.op(offset, &op).map_err(fail)?;
                    max_height = max_height.max(func_validator.operand_stack_height());
                    check(
                        limits.max_control_depth,
                        func_validator.control_stack_height(),
                        "block nesting depth",
                        Some(location()),
                    )?;
                }
                operators.finish().map_err(fail)?;
                let cost = func_validator
                    .len_locals()
                    .saturating_add(max_height)
                    .saturating_add(FRAME_OVERHEAD);
                sections.stack_costs.push(cost);
                let (params, results) = function_types
                    .get(index as usize)
                    .and_then(|ty| func_type_of(&types, *ty))
                    .map_or((0, 0), |(params, results)| (params.len(), results.len()));
                sections
                    .param_counts
                    .push(u32::try_from(params).unwrap_or(u32::MAX));
                sections
                    .result_counts
                    .push(u32::try_from(results).unwrap_or(u32::MAX));
                allocations = func_validator.into_allocations();
                sections.bodies.push(body);
            }
            Payload::CustomSection(reader) => sections.customs.push(reader),
            _ => {}
        }
    }

    // Exactly one memory, defined here and exported as `memory`.
    let memory_exported = exports
        .iter()
        .any(|(name, kind, _)| name == "memory" && *kind == ExternalKind::Memory);
    if !memory_exported {
        return Err(PrepareError::Export {
            name: "memory".into(),
            reason: "the module must export its linear memory as `memory`".into(),
        });
    }
    let entry_points = exports
        .iter()
        .filter(|(_, kind, _)| *kind == ExternalKind::Func)
        .filter(|(_, _, index)| {
            function_types
                .get(*index as usize)
                .and_then(|ty| func_type_of(&types, *ty))
                .is_some_and(|(params, results)| params.is_empty() && results.is_empty())
        })
        .map(|(name, _, _)| name.clone())
        .collect();
    Ok((sections, entry_points))
}
