//! The test kit, as contract authors use it:
//!
//! - `testkit/setup`: a fresh `TestChain`, a funded account and the token deployed (validate,
//!   instrument and compile are cached per process after the first deploy, as in a test binary);
//! - `testkit/token_transfer`: one token transfer as a signed transaction in a block of its own,
//!   on the in-memory store and on RocksDB (throughput in transfers per second);
//! - `testkit/view`: one `balance_of` view (a dry run).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use weft_testkit::{TestChain, artifact};

fn token_args() -> (String, String, u8, u128) {
    ("Bench".to_string(), "BEN".to_string(), 0, u128::MAX / 2)
}

fn testkit(c: &mut Criterion) {
    let token_code = artifact("token");
    let mut group = c.benchmark_group("testkit");
    group.sample_size(20);
    group.bench_function("setup", |b| {
        b.iter(|| {
            let chain = TestChain::new();
            let alice = chain.account("alice");
            chain
                .deploy(token_code.clone())
                .from(&alice)
                .args(token_args())
                .send()
                .expect("token deploys")
                .address()
        })
    });

    group.throughput(Throughput::Elements(1));
    for (store, chain) in [("mem", TestChain::new()), ("rocksdb", TestChain::on_rocksdb())] {
        let alice = chain.account("alice");
        let bob = chain.account("bob");
        let token = chain
            .deploy(token_code.clone())
            .from(&alice)
            .args(token_args())
            .send()
            .expect("token deploys");
        group.bench_function(format!("token_transfer/{store}"), |b| {
            b.iter(|| {
                token
                    .call("transfer")
                    .args((bob.address(), 1u128))
                    .from(&alice)
                    .send()
                    .expect("transfer succeeds")
            })
        });
        group.bench_function(format!("view/{store}"), |b| {
            b.iter(|| token.view::<u128>("balance_of").args(bob.address()).get())
        });
    }
    group.finish();
}

criterion_group!(benches, testkit);
criterion_main!(benches);
