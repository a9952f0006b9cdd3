//! Storage benchmarks: `RocksStore` next to `MemStore` (the in-process baseline, same run).
//!
//! - `point_read`: random reads of 100k present keys;
//! - `point_write`: one put per batch, WAL without fsync;
//! - `batch_commit`: a 1,000-put `WriteBatch`, buffered and fsynced;
//! - `overlay_commit`: 1,000 state writes through an `Overlay`, including the incremental state
//!   commitment (two LtHash expansions per changed key) and the batch write.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use weft_state::{Column, Durability, KvStore, MemStore, Overlay, RocksStore, WriteBatch};

const PRESENT_KEYS: u64 = 100_000;
const BATCH: u64 = 1_000;

fn key(i: u64) -> [u8; 32] {
    let mut k = [0u8; 32];
    k[..8].copy_from_slice(&i.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
    k
}

/// A deterministic xorshift so every store sees the same key sequence.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn stores() -> Vec<(&'static str, Box<dyn KvStore>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let rocks = RocksStore::open(dir.path()).expect("open RocksDB");
    vec![
        ("MemStore", Box::new(MemStore::new()), None),
        ("RocksStore", Box::new(rocks), Some(dir)),
    ]
}

fn fill(store: &dyn KvStore) {
    for chunk in 0..PRESENT_KEYS / BATCH {
        let mut batch = WriteBatch::new();
        for i in chunk * BATCH..(chunk + 1) * BATCH {
            batch.put(Column::Storage, key(i).to_vec(), vec![7u8; 64]);
        }
        store.write(&batch, Durability::Buffered).expect("fill");
    }
}

fn point_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("point_read");
    group.throughput(Throughput::Elements(1));
    for (name, store, _dir) in stores() {
        fill(store.as_ref());
        let mut rng = 0x1234_5678_u64;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                store
                    .get(Column::Storage, &key(next(&mut rng) % PRESENT_KEYS))
                    .expect("read")
            })
        });
    }
    group.finish();
}

fn point_write(c: &mut Criterion) {
    let mut group = c.benchmark_group("point_write");
    group.throughput(Throughput::Elements(1));
    for (name, store, _dir) in stores() {
        let mut i = 0u64;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                i += 1;
                let mut batch = WriteBatch::new();
                batch.put(Column::Storage, key(i).to_vec(), vec![1u8; 64]);
                store.write(&batch, Durability::Buffered).expect("write")
            })
        });
    }
    group.finish();
}

fn batch_commit(c: &mut Criterion) {
    let mut group = c.benchmark_group("batch_commit");
    group.throughput(Throughput::Elements(BATCH));
    for durability in [Durability::Buffered, Durability::Sync] {
        for (name, store, _dir) in stores() {
            let mut round = 0u64;
            group.bench_function(BenchmarkId::new(format!("{durability:?}"), name), |b| {
                b.iter(|| {
                    round += 1;
                    let mut batch = WriteBatch::new();
                    for i in 0..BATCH {
                        batch.put(Column::Storage, key(round * BATCH + i).to_vec(), vec![2u8; 64]);
                    }
                    store.write(&batch, durability).expect("commit")
                })
            });
        }
    }
    group.finish();
}

fn overlay_commit(c: &mut Criterion) {
    let mut group = c.benchmark_group("overlay_commit");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(20);
    for (name, store, _dir) in stores() {
        fill(store.as_ref());
        let mut rng = 0x8765_4321_u64;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let mut overlay = Overlay::new(store.as_ref());
                for _ in 0..BATCH {
                    let i = next(&mut rng) % (2 * PRESENT_KEYS);
                    overlay.put(Column::Storage, &key(i), i.to_le_bytes().to_vec());
                }
                let commit = overlay.commit().expect("commit");
                store.write(&commit.batch, Durability::Sync).expect("write");
                commit.root
            })
        });
    }
    group.finish();
}

criterion_group!(benches, point_read, point_write, batch_commit, overlay_commit);
criterion_main!(benches);
