//! The benchmark kernels, target-independent: the wasm entry points in `lib.rs` call them, and
//! `weft-benches` compiles this same file natively for the native baseline.

use sha3::{Digest, Keccak256};

/// 64 chained keccak256 hashes of a 1 KiB buffer; the last hash.
pub fn keccak() -> [u8; 32] {
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
    hash
}

#[inline(never)]
fn fib_of(n: u32) -> u32 {
    if n < 2 {
        n
    } else {
        fib_of(n - 1).wrapping_add(fib_of(n - 2))
    }
}

/// Recursive Fibonacci of 25 (242,785 calls).
pub fn fib() -> u32 {
    fib_of(core::hint::black_box(25))
}

fn xorshift_step(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// 1,000,000 steps of xorshift64 from a fixed seed; the final state.
pub fn xorshift() -> u64 {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..core::hint::black_box(1_000_000u32) {
        x = xorshift_step(x);
    }
    x
}

const SORT_LEN: usize = 100_000;

/// Sorts 100,000 pseudo-random u32 (on the stack); the sum of `value * index` (wrapping) over the
/// sorted array, which checks the order.
pub fn sort() -> u64 {
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
    check
}
