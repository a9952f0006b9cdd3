//! The shape of a validated module, shared by validation (which fills it) and instrumentation
//! (which re-encodes it): its sections, the per-function facts validation computed, and the
//! names and constants of what instrumentation injects.

use wasmparser::{
    CustomSectionReader, DataSectionReader, ElementSectionReader, ExportSectionReader, FunctionBody,
    FunctionSectionReader, GlobalSectionReader, ImportSectionReader, MemorySectionReader, TableSectionReader,
    TypeSectionReader,
};

/// Export name of the injected gas counter: a mutable `i64` global.
pub const GAS_GLOBAL: &str = "__weft_gas";
/// Export name of the injected stack-height counter: a mutable `i32` global.
pub const STACK_GLOBAL: &str = "__weft_stack";
/// Stack slots counted per call frame beyond locals and operands (return address, frame pointer).
pub const FRAME_OVERHEAD: u32 = 2;

/// The sections of a validated module, for re-encoding.
#[derive(Default)]
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
