//! Validation: the feature policy, the limits, imports against the host's functions, and
//! exports, one check per section, filling the [`Sections`] instrumentation re-encodes.

use wasmparser::{
    BinaryReader, CompositeInnerType, DataSectionReader, ElementSectionReader, ExportSectionReader,
    ExternalKind, FuncValidatorAllocations, FunctionBody, FunctionSectionReader, GlobalSectionReader,
    ImportSectionReader, MemorySectionReader, Name, NameSectionReader, Operator, OperatorsReader, Parser,
    Payload, TableSectionReader, TypeRef, TypeSectionReader, ValType, ValidPayload, Validator, WasmFeatures,
};

use crate::error::{Feature, FunctionRef, Location, PrepareError};
use crate::module::{FRAME_OVERHEAD, Sections};
use crate::prepare::{AbiType, HostFunction};
use crate::schedule::Limits;

/// Export names with this prefix are reserved for Weft.
const RESERVED_PREFIX: &str = "__weft";

/// The features Weft accepts (see the crate doc).
fn allowed_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::CALL_INDIRECT_OVERLONG
}

/// Validates `wasm` against the feature policy, `limits` and the functions `host` offers: the
/// module's sections and its entry points (exported functions without parameters or results).
pub(crate) fn validate<'a>(
    wasm: &'a [u8],
    limits: &Limits,
    host: &[HostFunction],
) -> Result<(Sections<'a>, Vec<String>), PrepareError> {
    let names = function_names(wasm);
    let mut validator = Validator::new_with_features(allowed_features());
    let mut validation = Validation {
        limits,
        host,
        names: &names,
        sections: Sections::default(),
        types: Vec::new(),
        function_types: Vec::new(),
        exports: Vec::new(),
        allocations: FuncValidatorAllocations::default(),
        code_index: 0,
    };
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| classify(e, None))?;
        let valid = validator.payload(&payload).map_err(|e| classify(e, None))?;
        match payload {
            Payload::TypeSection(reader) => validation.types(reader)?,
            Payload::ImportSection(reader) => validation.imports(reader)?,
            Payload::FunctionSection(reader) => validation.functions(reader)?,
            Payload::TableSection(reader) => validation.tables(reader)?,
            Payload::MemorySection(reader) => validation.memories(reader)?,
            Payload::GlobalSection(reader) => validation.globals(reader)?,
            Payload::ExportSection(reader) => validation.exports(reader)?,
            Payload::StartSection { .. } => return Err(PrepareError::StartFunction),
            Payload::ElementSection(reader) => validation.elements(reader)?,
            Payload::DataCountSection { count, .. } => validation.sections.data_count = Some(count),
            Payload::DataSection(reader) => validation.data(reader)?,
            Payload::CodeSectionEntry(body) => validation.body(body, valid)?,
            Payload::CustomSection(reader) => validation.sections.customs.push(reader),
            _ => {}
        }
    }
    validation.finish()
}

/// What validation has learnt so far of the module.
struct Validation<'a, 'c> {
    limits: &'c Limits,
    host: &'c [HostFunction],
    names: &'c [(u32, String)],
    sections: Sections<'a>,
    types: Vec<(Vec<ValType>, Vec<ValType>)>,
    function_types: Vec<u32>,
    exports: Vec<(String, ExternalKind, u32)>,
    allocations: FuncValidatorAllocations,
    code_index: u32,
}

impl<'a> Validation<'a, '_> {
    /// The type section: counts of types and parameters.
    fn types(&mut self, reader: TypeSectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
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
                self.types.push((ty.params().to_vec(), ty.results().to_vec()));
            }
        }
        check(
            limits.max_total_params,
            total_params,
            "parameters of all function types",
            None,
        )?;
        self.sections.type_count = u32::try_from(self.types.len()).unwrap_or(u32::MAX);
        self.sections.types = Some(reader);
        Ok(())
    }

    /// The imports: functions of module `env` the host has, with its signatures.
    fn imports(&mut self, reader: ImportSectionReader<'a>) -> Result<(), PrepareError> {
        let (limits, host) = (self.limits, self.host);
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
                func_type_of(&self.types, type_index).ok_or_else(|| refuse("unknown type index"))?;
            if !abi_matches(params, function.params) || !abi_matches(results, function.results) {
                return Err(refuse(&format!(
                    "signature mismatch: the host defines ({:?}) -> ({:?})",
                    function.params, function.results
                )));
            }
            self.function_types.push(type_index);
            self.sections.imported_functions += 1;
        }
        check(
            limits.max_imports,
            self.sections.imported_functions,
            "number of imports",
            None,
        )?;
        self.sections.imports = Some(reader);
        Ok(())
    }

    /// The function section: how many, and their types.
    fn functions(&mut self, reader: FunctionSectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
        check(limits.max_functions, reader.count(), "number of functions", None)?;
        for ty in reader.clone() {
            self.function_types.push(ty.map_err(|e| classify(e, None))?);
        }
        self.sections.functions = Some(reader);
        Ok(())
    }

    /// Tables: their sizes.
    fn tables(&mut self, reader: TableSectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
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
        self.sections.tables = Some(reader);
        Ok(())
    }

    /// Memories: their sizes in pages.
    fn memories(&mut self, reader: MemorySectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
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
        self.sections.memories = Some(reader);
        Ok(())
    }

    /// Globals: how many.
    fn globals(&mut self, reader: GlobalSectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
        check(limits.max_globals, reader.count(), "number of globals", None)?;
        self.sections.defined_globals = reader.count();
        self.sections.globals = Some(reader);
        Ok(())
    }

    /// Exports: reserved names, name lengths, how many.
    fn exports(&mut self, reader: ExportSectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
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
            self.exports
                .push((export.name.to_string(), export.kind, export.index));
        }
        self.sections.exports = Some(reader);
        Ok(())
    }

    /// Element segments: how many.
    fn elements(&mut self, reader: ElementSectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
        check(
            limits.max_element_segments,
            reader.count(),
            "number of element segments",
            None,
        )?;
        self.sections.elements = Some(reader);
        Ok(())
    }

    /// Data segments: how many.
    fn data(&mut self, reader: DataSectionReader<'a>) -> Result<(), PrepareError> {
        let limits = self.limits;
        check(
            limits.max_data_segments,
            reader.count(),
            "number of data segments",
            None,
        )?;
        self.sections.data = Some(reader);
        Ok(())
    }

    /// One function body: size, locals, branch tables, nesting, and its static stack cost.
    fn body(&mut self, body: FunctionBody<'a>, valid: ValidPayload<'a>) -> Result<(), PrepareError> {
        let (limits, names) = (self.limits, self.names);
        let index = self.sections.imported_functions + self.code_index;
        self.code_index += 1;
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
        let mut func_validator = to_validate.into_validator(std::mem::take(&mut self.allocations));
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
        self.sections.stack_costs.push(cost);
        let (params, results) = self
            .function_types
            .get(index as usize)
            .and_then(|ty| func_type_of(&self.types, *ty))
            .map_or((0, 0), |(params, results)| (params.len(), results.len()));
        self.sections
            .param_counts
            .push(u32::try_from(params).unwrap_or(u32::MAX));
        self.sections
            .result_counts
            .push(u32::try_from(results).unwrap_or(u32::MAX));
        self.allocations = func_validator.into_allocations();
        self.sections.bodies.push(body);
        Ok(())
    }

    /// The whole module: its memory exported as `memory`; its entry points.
    fn finish(self) -> Result<(Sections<'a>, Vec<String>), PrepareError> {
        // Exactly one memory, defined here and exported as `memory`.
        let memory_exported = self
            .exports
            .iter()
            .any(|(name, kind, _)| name == "memory" && *kind == ExternalKind::Memory);
        if !memory_exported {
            return Err(PrepareError::Export {
                name: "memory".into(),
                reason: "the module must export its linear memory as `memory`".into(),
            });
        }
        let entry_points = self
            .exports
            .iter()
            .filter(|(_, kind, _)| *kind == ExternalKind::Func)
            .filter(|(_, _, index)| {
                self.function_types
                    .get(*index as usize)
                    .and_then(|ty| func_type_of(&self.types, *ty))
                    .is_some_and(|(params, results)| params.is_empty() && results.is_empty())
            })
            .map(|(name, _, _)| name.clone())
            .collect();
        Ok((self.sections, entry_points))
    }
}

pub(crate) fn check(
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
    // One line: some of the validator's messages pretty-print byte arrays over several.
    let message = error.message().split_whitespace().collect::<Vec<_>>().join(" ");
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
