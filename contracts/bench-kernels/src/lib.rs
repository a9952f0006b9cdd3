//! Benchmark kernels, each an entry point that takes no input and returns its result with
//! `env.return_data`, so that the same module runs under Weft and on raw Wasmer:
//!
//! - `keccak`: 64 chained keccak256 hashes of a 1 KiB buffer (the `sha3` crate, compiled to wasm):
//!   a compute kernel of tight loops with few calls;
//! - `fib`: recursive Fibonacci of 25 (242,785 calls): a call-heavy kernel;
//! - `xorshift`: 1,000,000 steps of xorshift64: a tight arithmetic loop;
//! - `sort`: 100,000 pseudo-random u32 sorted (`sort_unstable`): memory-heavy.
//!
//! The kernels themselves are in `kernels.rs`, which `weft-benches` also compiles natively for the
//! native baseline.
#![no_std]

mod kernels;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[link(wasm_import_module = "env")]
extern "C" {
    fn return_data(ptr: *const u8, len: u32);
}

fn finish(bytes: &[u8]) {
    // SAFETY: the pointer and length describe `bytes`, which lives in this module's memory.
    unsafe { return_data(bytes.as_ptr(), bytes.len() as u32) }
}

/// 64 chained keccak256 hashes of a 1 KiB buffer.
#[no_mangle]
pub extern "C" fn keccak() {
    finish(&kernels::keccak());
}

/// Recursive Fibonacci of 25.
#[no_mangle]
pub extern "C" fn fib() {
    finish(&kernels::fib().to_le_bytes());
}

/// 1,000,000 steps of xorshift64 from a fixed seed; the final state.
#[no_mangle]
pub extern "C" fn xorshift() {
    finish(&kernels::xorshift().to_le_bytes());
}

/// Sorts 100,000 pseudo-random u32; the sum of `value * index` (wrapping) over the sorted array.
#[no_mangle]
pub extern "C" fn sort() {
    finish(&kernels::sort().to_le_bytes());
}
