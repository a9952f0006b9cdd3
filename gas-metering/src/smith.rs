//! [`smith_config`]: wasm-smith kept to what [`crate::prepare`]'s feature policy accepts, for the
//! property tests and the fuzz targets that generate contracts (feature `smith`).

/// wasm-smith's configuration for modules that Weft's policy accepts (no floats, SIMD, threads,
/// reference types beyond `call_indirect`, …; bulk memory, multi-value and sign extension on), no
/// imports, one table, small bodies, with exactly the exports of the module `exports` (wasm bytes).
pub fn smith_config(exports: Vec<u8>) -> wasm_smith::Config {
    wasm_smith::Config {
        exports: Some(exports),
        allow_floats: false,
        saturating_float_to_int_enabled: false,
        simd_enabled: false,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        tail_call_enabled: false,
        exceptions_enabled: false,
        reference_types_enabled: false,
        memory64_enabled: false,
        gc_enabled: false,
        extended_const_enabled: false,
        wide_arithmetic_enabled: false,
        compact_imports_enabled: false,
        custom_page_sizes_enabled: false,
        bulk_memory_enabled: true,
        multi_value_enabled: true,
        sign_extension_ops_enabled: true,
        max_memories: 0,
        max_tables: 1,
        max_imports: 0,
        max_funcs: 30,
        max_types: 30,
        max_globals: 20,
        max_instructions: 200,
        max_table_elements: 100,
        max_memory32_bytes: 4 * 65_536,
        allow_start_export: false,
        ..wasm_smith::Config::default()
    }
}
