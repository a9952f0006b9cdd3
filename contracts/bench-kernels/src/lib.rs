//! Benchmark kernels, each an entry point that takes no input and returns its result with
//! `env.return_data`, so that the same module runs under Weft and on raw Wasmer:
//!
//! - `keccak`: 64 chained keccak256 hashes of a 1 KiB buffer (the `sha3` crate, compiled to wasm):
//!   a compute kernel of tight loops with few calls;
//! - `fib`: recursive Fibonacci of 25 (242,785 calls): a call-heavy kernel.
#![no_std]

use sha3::{Digest, Keccak256};

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
    let mut buffer = [0u8; 1024];
    for (i, byte) in buffer.iter_mut().enumerate() {
        *byte = i as u8;
    }
    let mut hash = [0u8; 32];
    for _ in 0..core::hint::black_box(64) {
        let mut hasher = Keccak256::new();
        hasher.update(buffer);
        hasher.update(hash);
        hash = hasher.finalize().into();
    }
    finish(&hash);
}

#[inline(never)]
fn fib_of(n: u32) -> u32 {
    if n < 2 {
        n
    } else {
        fib_of(n - 1).wrapping_add(fib_of(n - 2))
    }
}

/// Recursive Fibonacci of 25.
#[no_mangle]
pub extern "C" fn fib() {
    finish(&fib_of(core::hint::black_box(25)).to_le_bytes());
}
