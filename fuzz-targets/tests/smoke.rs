//! Every fuzz target on its seeds, on mutations of them and on pseudo-random bytes: a bounded run
//! inside the test suite (seconds), so that a target that panics on a known input fails CI
//! without the nightly toolchain. Long runs: `scripts/fuzz.sh`.

use std::time::{Duration, Instant};

use weft_fuzz_targets::{TARGETS, seeds};

/// A deterministic xorshift stream.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// `seed` with a few bytes flipped, inserted or cut.
fn mutate(stream: &mut Stream, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + stream.below(4) {
        match stream.below(3) {
            0 if !data.is_empty() => {
                let at = stream.below(data.len());
                data[at] ^= 1 << stream.below(8);
            }
            1 => {
                let at = stream.below(data.len() + 1);
                data.insert(at, stream.next() as u8);
            }
            _ if !data.is_empty() => {
                let at = stream.below(data.len());
                data.truncate(at.max(1));
            }
            _ => {}
        }
    }
    data
}

#[test]
fn every_target_survives_its_seeds_mutations_and_noise() {
    const BUDGET: Duration = Duration::from_secs(2);
    for &(name, target) in TARGETS {
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "{name} has seeds");
        let mut stream = Stream(0x5eed ^ name.len() as u64);
        let started = Instant::now();
        for seed in &seeds {
            target(seed);
        }
        let mut runs = seeds.len();
        while started.elapsed() < BUDGET {
            let input = if runs.is_multiple_of(2) {
                let seed = &seeds[stream.below(seeds.len())];
                mutate(&mut stream, seed)
            } else {
                let len = stream.below(512);
                stream.bytes(len)
            };
            target(&input);
            runs += 1;
        }
        eprintln!("{name}: {runs} inputs in {:?}", started.elapsed());
    }
}
