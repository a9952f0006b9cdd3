//! Benchmark kernels that spend their time in host calls (compare `bench-kernels`, pure wasm):
//! `keccak_host(rounds)` chains keccak256 through the host function, `storage_rw(n)` writes then
//! reads `n` storage slots.
#![no_std]

use weft_sdk::{contract, env, Hash};

/// The benchmark contract.
pub struct BenchHost;

#[contract]
impl BenchHost {
    /// `rounds` chained keccak256 hashes of a 1 KiB buffer and the previous hash, through the host.
    pub fn keccak_host(rounds: u32) -> Hash {
        let mut buffer = [0u8; 1024 + 32];
        for (i, byte) in buffer.iter_mut().enumerate() {
            *byte = i as u8;
        }
        let mut hash = Hash::default();
        for _ in 0..rounds {
            buffer[1024..].copy_from_slice(&hash.0);
            hash = env::keccak256(&buffer);
        }
        hash
    }

    /// Writes slots `0..n` (8-byte keys, 32-byte values), then reads them back; the sum of
    /// the first byte of every value read.
    pub fn storage_rw(n: u32) -> u64 {
        for i in 0..n {
            let mut value = [0u8; 32];
            value[0] = i as u8;
            env::storage_write(&u64::from(i).to_le_bytes(), &value);
        }
        let mut sum = 0u64;
        for i in 0..n {
            if let Some(value) = env::storage_read(&u64::from(i).to_le_bytes()) {
                sum += u64::from(value[0]);
            }
        }
        sum
    }
}
