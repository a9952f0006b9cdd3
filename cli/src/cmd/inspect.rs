//! `weft inspect FILE.wasm`: what a contract is, and whether this chain would take it — without
//! deploying.

use std::path::Path;

use serde::Serialize;
use wasmparser::{ExternalKind, Parser, Payload, TypeRef};
use weft_abi::Abi;
use weft_gas::GasSchedule;

use super::CliError;
use super::client::read_wasm;
use super::output::Out;

/// What `inspect` reports.
#[derive(Debug, Serialize)]
pub struct Inspection {
    /// Bytes of the file.
    pub size: usize,
    /// `module.name (kind)` of each import.
    pub imports: Vec<String>,
    /// `name (kind)` of each export.
    pub exports: Vec<String>,
    /// The ABI, when the module has a `weft_abi` section.
    pub abi: Option<AbiSummary>,
    /// Whether the feature policy and limits accept it.
    pub accepted: bool,
    /// Why not, when refused.
    pub refusal: Option<String>,
    /// The callable entry points, when accepted.
    pub entry_points: Vec<String>,
    /// The instrumented module's size, when accepted.
    pub instrumented_size: Option<usize>,
}

/// The ABI as `inspect` shows it.
#[derive(Debug, Serialize)]
pub struct AbiSummary {
    /// The contract's name.
    pub contract: Option<String>,
    /// `name(arg: Type, ..) -> Type [payable] [init]` per method.
    pub methods: Vec<String>,
    /// `Name(field: Type [indexed], ..)` per event.
    pub events: Vec<String>,
}

fn summary(abi: &Abi) -> AbiSummary {
    let methods = abi
        .methods
        .iter()
        .map(|m| {
            let args: Vec<String> = m.args.iter().map(|p| format!("{}: {}", p.name, p.ty)).collect();
            let mut line = format!("{}({})", m.name, args.join(", "));
            if let Some(returns) = &m.returns {
                line.push_str(&format!(" -> {returns}"));
            }
            if m.init {
                line.push_str(" [init]");
            }
            if m.migrate {
                line.push_str(" [migrate]");
            }
            if m.payable {
                line.push_str(" [payable]");
            }
            if let Some(ty) = &m.undescribed {
                line = format!(
                    "{}(…) [takes or returns `{ty}`, which the ABI does not describe: SCALE hex only]",
                    m.name
                );
            }
            line
        })
        .collect();
    let events = abi
        .events
        .iter()
        .map(|e| {
            let fields: Vec<String> = e
                .fields
                .iter()
                .map(|(p, indexed)| {
                    let mark = if *indexed { " indexed" } else { "" };
                    format!("{}: {}{mark}", p.name, p.ty)
                })
                .collect();
            format!("{}({})", e.name, fields.join(", "))
        })
        .collect();
    AbiSummary {
        contract: abi.contract.clone(),
        methods,
        events,
    }
}

fn kind_name(kind: ExternalKind) -> &'static str {
    match kind {
        ExternalKind::Func => "func",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
        ExternalKind::FuncExact => "func",
    }
}

fn type_ref_name(ty: TypeRef) -> &'static str {
    match ty {
        TypeRef::Func(_) | TypeRef::FuncExact(_) => "func",
        TypeRef::Table(_) => "table",
        TypeRef::Memory(_) => "memory",
        TypeRef::Global(_) => "global",
        TypeRef::Tag(_) => "tag",
    }
}

/// Inspects `wasm`.
pub fn inspect(wasm: &[u8]) -> Result<Inspection, CliError> {
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| CliError::Usage(format!("not a wasm module: {e}")))? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| CliError::Usage(format!("bad import section: {e}")))?;
                    imports.push(format!(
                        "{}.{} ({})",
                        import.module,
                        import.name,
                        type_ref_name(import.ty)
                    ));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| CliError::Usage(format!("bad export section: {e}")))?;
                    exports.push(format!("{} ({})", export.name, kind_name(export.kind)));
                }
            }
            _ => {}
        }
    }
    let abi = Abi::from_wasm(wasm)
        .map_err(|e| CliError::Usage(e.to_string()))?
        .as_ref()
        .map(summary);
    let prepared = weft_gas::prepare(wasm, &GasSchedule::default(), weft_host::HOST_FUNCTIONS);
    let (accepted, refusal, entry_points, instrumented_size) = match prepared {
        Ok(module) => (true, None, module.entry_points, Some(module.code.len())),
        Err(error) => (false, Some(error.to_string()), Vec::new(), None),
    };
    Ok(Inspection {
        size: wasm.len(),
        imports,
        exports,
        abi,
        accepted,
        refusal,
        entry_points,
        instrumented_size,
    })
}

/// `weft inspect FILE`: the report, printed; an error if this chain would refuse the module.
pub(super) fn run(file: &Path, out: &Out) -> Result<(), CliError> {
    let wasm = read_wasm(file)?;
    let report = inspect(&wasm)?;
    if out.json {
        Out::print_json(&report);
    } else {
        let mut fields = vec![("size", format!("{} bytes", report.size))];
        fields.extend(report.imports.iter().map(|i| ("import", i.clone())));
        fields.extend(report.exports.iter().map(|e| ("export", e.clone())));
        match &report.abi {
            Some(abi) => {
                fields.push((
                    "contract",
                    abi.contract.clone().unwrap_or_else(|| "(unnamed)".into()),
                ));
                fields.extend(abi.methods.iter().map(|m| ("method", m.clone())));
                fields.extend(abi.events.iter().map(|e| ("event", e.clone())));
            }
            None => fields.push(("abi", "none (no weft_abi section)".into())),
        }
        match (&report.refusal, report.instrumented_size) {
            (None, Some(size)) => {
                fields.push(("accepted", out.status("success").replace("success", "yes")));
                fields.push(("instrumented", format!("{size} bytes")));
                fields.push(("entry points", report.entry_points.join(", ")));
            }
            (refusal, _) => {
                let why = refusal.clone().unwrap_or_default();
                fields.push(("accepted", format!("{} — {why}", out.paint("no", "31"))));
            }
        }
        out.print_fields(&fields);
    }
    if report.accepted {
        Ok(())
    } else {
        Err(CliError::Failed("this chain would refuse the module".into()))
    }
}
