//! Benchmark kernels, each an entry point that takes no input and returns its result with
//! `env.return_data`, so that the same module runs under Weft and on raw Wasmer:
//!
//! - `keccak`: 64 chained keccak256 hashes of a 1 KiB buffer (the `sha3` crate, compiled to wasm):
//!   a compute kernel of tight loops with few calls;
//! - `fib`: recursive Fibonacci of 25 (242,785 calls): a call-heavy kernel;
//! - `xorshift`: 1,000,000 steps of xorshift64: a tight arithmetic loop;
//! - `sort`: 100,000 pseudo-random u32 sorted (`sort_unstable`): memory-heavy.
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

fn xorshift_step(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// 1,000,000 steps of xorshift64 from a fixed seed; the final state.
#[no_mangle]
pub extern "C" fn xorshift() {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..core::hint::black_box(1_000_000u32) {
        x = xorshift_step(x);
    }
    finish(&x.to_le_bytes());
}

const SORT_LEN: usize = 100_000;

/// Sorts 100,000 pseudo-random u32 (on the shadow stack); the sum of `value * index` (wrapping)
/// over the sorted array, which checks the order.
#[no_mangle]
pub extern "C" fn sort() {
    let mut values = [0u32; SORT_LEN];
    let mut x = core::hint::black_box(0x2545_F491_4F6C_DD1Du64);
    for value in values.iter_mut() {
        x = xorshift_step(x);
        *value = (x >> 32) as u32;
    }
    values.sort_unstable();
    let mut check = 0u64;
    for (i, value) in values.iter().enumerate() {
        check = check.wrapping_add(u64::from(*value).wrapping_mul(i as u64));
    }
    finish(&check.to_le_bytes());
}
