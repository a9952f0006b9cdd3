//! The side-by-side report (`cargo run --release -p weft-benches --bin report`): every workload
//! measured in one process, written as markdown to `benches/RESULTS.md`. [`Mode::Smoke`] runs
//! every workload with tiny iteration counts (CI runs it as a test, so the benchmarks never rot).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parity_scale_codec::Encode;
use weft_chain::{Chain, DEV_CHAIN_ID, Genesis, dev_accounts};
use weft_gas::GasSchedule;
use weft_node::{MempoolLimits, MiningMode, NodeConfig, NodeHandle};
use weft_primitives::{Action, Address, Hash, SignedTransaction, Transaction};
use weft_state::{RocksStore, SharedStore};
use weft_vm::Vm;

use crate::peers::{self, EngineKind, KERNELS, KERNELS_WASM};
use crate::{adversarial_module, synthetic_module};

/// How thoroughly to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Enough samples for a median with a spread.
    Full,
    /// One or two iterations of everything: does it all still run and agree?
    Smoke,
}

impl Mode {
    fn samples(self, full: usize) -> usize {
        match self {
            Mode::Full => full,
            Mode::Smoke => 1,
        }
    }
}

/// A measured duration: the median and the interquartile range of the samples.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// Median.
    pub median: Duration,
    /// 25th percentile.
    pub p25: Duration,
    /// 75th percentile.
    pub p75: Duration,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Self {
            median: at(0.5),
            p25: at(0.25),
            p75: at(0.75),
        }
    }

    fn spread(&self) -> String {
        format!("{}–{}", fmt_duration(self.p25), fmt_duration(self.p75))
    }
}

/// Times `samples` runs of `f` after one warm-up run.
pub fn measure(samples: usize, mut f: impl FnMut()) -> Stats {
    f();
    let runs = (0..samples.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    Stats::of(runs)
}

fn fmt_duration(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}

/// What the report found, for checks and for the markdown.
#[derive(Debug, Default)]
pub struct Findings {
    /// Execution medians: (kernel, engine, stats).
    pub execution: Vec<(&'static str, EngineKind, Stats)>,
    /// Engines whose result differed from Weft's: (kernel, engine).
    pub mismatches: Vec<(&'static str, EngineKind)>,
    /// Markdown sections, in order.
    pub sections: Vec<String>,
    /// The core the single-threaded sections ran pinned to, if pinning worked.
    pub pinned_core: Option<usize>,
    /// The single node's interval-mining rate over JSON-RPC, for the network section's ratio.
    pub rpc_interval_rate: Option<f64>,
}

impl Findings {
    fn median(&self, kernel: &str, engine: EngineKind) -> Option<Duration> {
        self.execution
            .iter()
            .find(|(k, e, _)| *k == kernel && *e == engine)
            .map(|(_, _, s)| s.median)
    }
}

/// A part of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The kernels on every engine.
    Execution,
    /// Validate + instrument + compile against the peers' compilers.
    Compile,
    /// A cached module: instantiate and an empty call.
    CallLatency,
    /// Token transfers per second, in process on RocksDB.
    Chain,
    /// Token transfers per second over JSON-RPC.
    Rpc,
    /// Storage reads and writes through host calls on RocksDB.
    Storage,
    /// Finalized transfers per second on a four-validator network.
    Network,
}

impl Section {
    /// Every section, in report order.
    pub const ALL: [Section; 7] = [
        Section::Execution,
        Section::Compile,
        Section::CallLatency,
        Section::Chain,
        Section::Rpc,
        Section::Network,
        Section::Storage,
    ];

    /// Its name on the command line (`--only`).
    pub fn name(self) -> &'static str {
        match self {
            Section::Execution => "execution",
            Section::Compile => "compile",
            Section::CallLatency => "call-latency",
            Section::Chain => "chain",
            Section::Rpc => "rpc",
            Section::Storage => "storage",
            Section::Network => "network",
        }
    }

    /// The section called `name`.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether it runs on one thread (and so is pinned to one core).
    fn single_threaded(self) -> bool {
        matches!(self, Section::Execution | Section::Compile | Section::CallLatency)
    }
}

/// Runs the given sections, in report order.
pub fn run(mode: Mode, sections: &[Section]) -> Findings {
    let mut findings = Findings::default();
    {
        // Execution, compile and call latency are single-threaded: one core, to cut the noise.
        let pin = Pin::to_last_core();
        findings.pinned_core = pin.as_ref().map(|p| p.core);
        for section in Section::ALL
            .into_iter()
            .filter(|s| s.single_threaded() && sections.contains(s))
        {
            match section {
                Section::Execution => execution(mode, &mut findings),
                Section::Compile => compile(mode, &mut findings),
                _ => call_latency(mode, &mut findings),
            }
        }
    }
    // The chain sections use RocksDB's threads, the RPC server's and its clients': every core.
    for section in Section::ALL
        .into_iter()
        .filter(|s| !s.single_threaded() && sections.contains(s))
    {
        match section {
            Section::Chain => chain_throughput(mode, &mut findings),
            Section::Rpc => rpc_throughput(mode, &mut findings),
            Section::Network => network_throughput(mode, &mut findings),
            _ => storage(mode, &mut findings),
        }
    }
    findings
}

/// The calling thread pinned to one core (with `taskset`, on Linux) until dropped, when its
/// former affinity comes back. Threads it starts meanwhile keep the pin.
struct Pin {
    tid: String,
    core: usize,
    former: String,
}

impl Pin {
    fn to_last_core() -> Option<Self> {
        let tid = std::fs::read_link("/proc/thread-self")
            .ok()?
            .file_name()?
            .to_str()?
            .to_owned();
        let former = taskset(&tid, None)?;
        let core = former
            .split([',', '-'])
            .filter_map(|c| c.trim().parse::<usize>().ok())
            .max()?;
        taskset(&tid, Some(&core.to_string()))?;
        Some(Self { tid, core, former })
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        // The former affinity; if that fails the pin stays, which only costs parallelism.
        let _ = taskset(&self.tid, Some(&self.former));
    }
}

/// `taskset -p -c [cpus] tid`: sets the thread's affinity list if `cpus` is given; its current
/// list either way (`None` if taskset is missing or refuses).
fn taskset(tid: &str, cpus: Option<&str>) -> Option<String> {
    let mut command = std::process::Command::new("taskset");
    command.args(["-p", "-c"]);
    command.args(cpus);
    let output = command.arg(tid).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.lines().last()?.rsplit(": ").next()?.trim().to_owned())
}

fn execution(mode: Mode, findings: &mut Findings) {
    let mut engines: Vec<(EngineKind, peers::Engine)> = EngineKind::ALL
        .iter()
        .map(|&kind| (kind, peers::compile(kind, KERNELS_WASM)))
        .collect();
    for kernel in KERNELS {
        let expected = engines[0].1.run(kernel);
        for (kind, engine) in &mut engines {
            if engine.run(kernel) != expected {
                findings.mismatches.push((kernel, *kind));
            }
            let stats = measure(mode.samples(15), || {
                std::hint::black_box(engine.run(kernel));
            });
            findings.execution.push((kernel, *kind, stats));
        }
    }
    let mut md = String::from(
        "## Execution\n\nThe same `bench_kernels.wasm` on every engine (a fresh instance and one call per run; native: \
         the same Rust source compiled for the host). Median (interquartile range); ratios of medians.\n\n\
         | kernel | engine | median (IQR) | × native | × raw singlepass | × Wasmtime (Cranelift) |\n|---|---|---:|---:|---:|---:|\n",
    );
    for kernel in KERNELS {
        let native = findings.median(kernel, EngineKind::Native);
        let raw = findings.median(kernel, EngineKind::Singlepass);
        let cranelift = findings.median(kernel, EngineKind::WasmtimeFuel);
        for kind in EngineKind::ALL {
            let Some((_, _, stats)) = findings
                .execution
                .iter()
                .find(|(k, e, _)| *k == kernel && *e == kind)
            else {
                continue;
            };
            let times = |base: Option<Duration>| {
                base.map_or("–".into(), |b| format!("{:.2}", ratio(stats.median, b)))
            };
            let _ = writeln!(
                md,
                "| {kernel} | {} | {} ({}) | {} | {} | {} |",
                kind.name(),
                fmt_duration(stats.median),
                stats.spread(),
                times(native),
                times(raw),
                times(cranelift)
            );
        }
    }
    let geo = |engine: EngineKind, base: EngineKind| -> f64 {
        let logs: Vec<f64> = KERNELS
            .iter()
            .filter_map(|k| Some(ratio(findings.median(k, engine)?, findings.median(k, base)?).ln()))
            .collect();
        (logs.iter().sum::<f64>() / logs.len().max(1) as f64).exp()
    };
    let _ = writeln!(
        md,
        "\nGeometric means over the kernels: Weft / raw singlepass **{:.2}×**; singlepass + Metering / raw \
         **{:.2}×**; wasmi (fuel) / Weft **{:.2}×** (how much faster Weft is; wasmi / raw singlepass **{:.2}×**); \
         Weft / Wasmtime (fuel) **{:.2}×**; Weft / native **{:.2}×**.",
        geo(EngineKind::Weft, EngineKind::Singlepass),
        geo(EngineKind::SinglepassMetering, EngineKind::Singlepass),
        geo(EngineKind::WasmiFuel, EngineKind::Weft),
        geo(EngineKind::WasmiFuel, EngineKind::Singlepass),
        geo(EngineKind::Weft, EngineKind::WasmtimeFuel),
        geo(EngineKind::Weft, EngineKind::Native),
    );
    let worst = KERNELS
        .iter()
        .filter_map(|k| {
            Some((
                *k,
                ratio(
                    findings.median(k, EngineKind::Weft)?,
                    findings.median(k, EngineKind::Singlepass)?,
                ),
            ))
        })
        .fold(("", 0.0f64), |acc, x| if x.1 > acc.1 { x } else { acc });
    let _ = writeln!(
        md,
        "Goal: metered ≤ 1.10× raw singlepass on every kernel — worst is {} at **{:.2}×** ({}).",
        worst.0,
        worst.1,
        if worst.1 <= 1.10 { "met" } else { "missed" }
    );
    if findings.mismatches.is_empty() {
        md.push_str("Every engine returned the same bytes as Weft on every kernel.\n");
    } else {
        let _ = writeln!(md, "**Results differ from Weft's**: {:?}", findings.mismatches);
    }
    findings.sections.push(md);
}

/// The compile section's modules, by name: small ones only unless `all` (the large ones take
/// seconds on the slowest compilers).
pub fn compile_modules(all: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut modules = vec![
        ("small", synthetic_module(8, 8)),
        ("kernels (bench_kernels.wasm, rustc)", KERNELS_WASM.to_vec()),
    ];
    if all {
        modules.extend([
            ("medium", synthetic_module(200, 16)),
            ("large", synthetic_module(700, 50)),
            (
                "adversarial (deep blocks, br_table, locals)",
                adversarial_module(300, 1_000, 4_000),
            ),
        ]);
    }
    modules
}

fn compile(mode: Mode, findings: &mut Findings) {
    let modules = compile_modules(mode == Mode::Full);
    let vm = Vm::new(GasSchedule::default());
    let mut md = String::from(
        "## Compile\n\nWeft: validate + instrument + singlepass compile (`Vm::compile`, no cache). Peers compile \
         the original bytes (wasmi eagerly). MB/s of input.\n\n| module | bytes | weft | wasmer singlepass (raw) | \
         wasmtime (Cranelift) | wasmi | Cranelift / Weft |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut weft_rates = Vec::new();
    for (name, wasm) in &modules {
        let samples = mode.samples(if wasm.len() > 500_000 { 5 } else { 10 });
        let weft = measure(samples, || {
            std::hint::black_box(vm.compile(wasm).expect("weft compiles"));
        });
        let singlepass = measure(samples, || {
            std::hint::black_box(peers::compile(EngineKind::Singlepass, wasm));
        });
        let wasmtime = measure(samples, || {
            std::hint::black_box(peers::compile(EngineKind::WasmtimeFuel, wasm));
        });
        let wasmi = measure(samples, || {
            std::hint::black_box(peers::compile(EngineKind::WasmiFuel, wasm));
        });
        let rate = |s: &Stats| wasm.len() as f64 / s.median.as_secs_f64() / 1e6;
        weft_rates.push((name, wasm.len(), rate(&weft)));
        let cell = |s: &Stats| format!("{} ({:.1} MB/s)", fmt_duration(s.median), rate(s));
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {} | {} | {:.1}× |",
            wasm.len(),
            cell(&weft),
            cell(&singlepass),
            cell(&wasmtime),
            cell(&wasmi),
            ratio(wasmtime.median, weft.median)
        );
    }
    let slowest = weft_rates.iter().map(|r| r.2).fold(f64::INFINITY, f64::min);
    let _ = writeln!(
        md,
        "\nGoal: ≥ 30 MB/s and ≥ 10× faster than Cranelift, linear in size — slowest Weft rate here **{slowest:.1} MB/s** \
         ({}).",
        if slowest >= 30.0 { "met" } else { "missed" }
    );
    findings.sections.push(md);
}

const NOOP_WAT: &str = r#"(module
    (import "env" "return_data" (func (param i32 i32)))
    (memory (export "memory") 1)
    (func (export "noop")))"#;

fn call_latency(mode: Mode, findings: &mut Findings) {
    let wasm = wat::parse_str(NOOP_WAT).expect("wat");
    let mut md = String::from(
        "## Call latency\n\nA compiled (cached) module: a fresh instance and one empty call.\n\n| engine | median (IQR) |\n|---|---:|\n",
    );
    let mut weft = None;
    for kind in EngineKind::ALL.into_iter().filter(|k| *k != EngineKind::Native) {
        let mut engine = peers::compile(kind, &wasm);
        let stats = measure(mode.samples(2_000), || {
            std::hint::black_box(engine.run("noop"));
        });
        if kind == EngineKind::Weft {
            weft = Some(stats.median);
        }
        let _ = writeln!(
            md,
            "| {} | {} ({}) |",
            kind.name(),
            fmt_duration(stats.median),
            stats.spread()
        );
    }
    let weft = weft.unwrap_or_default();
    let _ = writeln!(
        md,
        "\nGoal: ≤ 15 µs — Weft **{}** ({}). CosmWasm publishes 30–54 µs for a cached instantiate.",
        fmt_duration(weft),
        if weft <= Duration::from_micros(15) {
            "met"
        } else {
            "missed"
        }
    );
    findings.sections.push(md);
}

/// Signed `transfer(recipient, 1)` calls of `token` from `from`, nonces from `nonce`, each to
/// a recipient of its own.
fn transfers(
    token: Address,
    from: &weft_chain::DevAccount,
    nonce: u64,
    count: u64,
) -> Vec<SignedTransaction> {
    (nonce..nonce + count)
        .map(|n| {
            let mut recipient = [1u8; 32];
            recipient[..8].copy_from_slice(&n.to_le_bytes());
            Transaction {
                chain_id: DEV_CHAIN_ID,
                signer: Transaction::signer_of(&from.key),
                nonce: n,
                gas_limit: 1_000_000,
                gas_price: 1,
                value: 0,
                action: Action::Call {
                    to: token,
                    method: "transfer".into(),
                    args: (Address(recipient), 1u128).encode(),
                },
            }
            .sign(&from.key)
        })
        .collect()
}

fn token_deploy(nonce: u64, from: &weft_chain::DevAccount) -> SignedTransaction {
    let token = include_bytes!("../../contracts/artifacts/token.wasm").to_vec();
    Transaction {
        chain_id: DEV_CHAIN_ID,
        signer: Transaction::signer_of(&from.key),
        nonce,
        gas_limit: 100_000_000,
        gas_price: 1,
        value: 0,
        action: Action::Deploy {
            code: token,
            init_args: ("Bench".to_string(), "BEN".to_string(), 0u8, u128::MAX / 2).encode(),
            salt: Hash::ZERO,
        },
    }
    .sign(&from.key)
}

fn chain_throughput(mode: Mode, findings: &mut Findings) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store: SharedStore = Arc::new(RocksStore::open(dir.path()).expect("rocksdb"));
    let vm = Vm::new(GasSchedule::default());
    let mut chain = Chain::open(store, vm, Genesis::dev()).expect("chain");
    let alice = &dev_accounts()[0];
    let deployed = chain
        .produce_block(vec![token_deploy(0, alice)], 1)
        .expect("deploy");
    let token = deployed.receipts[0].contract_address.expect("deployed");
    let (blocks, per_block) = match mode {
        Mode::Full => (10u64, 1_000u64),
        Mode::Smoke => (2, 10),
    };
    let mut nonce = 1;
    let mut times = Vec::new();
    for _ in 0..blocks {
        let txs = transfers(token, alice, nonce, per_block);
        nonce += per_block;
        let start = Instant::now();
        let produced = chain.produce_block(txs, 2).expect("block");
        times.push(start.elapsed());
        assert_eq!(
            produced.receipts.len() as u64,
            per_block,
            "every transfer included"
        );
        assert!(
            produced
                .receipts
                .iter()
                .all(|r| r.status == weft_primitives::ExecStatus::Success),
            "every transfer succeeds"
        );
    }
    let stats = Stats::of(times);
    let rate = per_block as f64 / stats.median.as_secs_f64();
    let md = format!(
        "## Chain throughput (in-process)\n\nToken transfers executed and committed on RocksDB (synced write), \
         {per_block} per block, {blocks} blocks: median block time {} (IQR {}) → **{rate:.0} transfers/s** (goal \
         ≥ 10,000: {}).\n",
        fmt_duration(stats.median),
        stats.spread(),
        if rate >= 10_000.0 { "met" } else { "missed" }
    );
    findings.sections.push(md);
}

/// One JSON-RPC load run: its throughput and the clients' latencies.
struct RpcRun {
    /// Transactions per second, from the first send until the last one is in a block.
    rate: f64,
    /// Median `weft_sendRawTransaction` round trip.
    p50: Duration,
    /// 99th percentile round trip.
    p99: Duration,
    /// Blocks it took.
    blocks: usize,
}

/// `senders` clients on loopback each send `per_sender` token transfers, one after another, to a
/// node on RocksDB that mines as `mining` says; timed until every transfer is in a block.
async fn rpc_load(mining: MiningMode, senders: usize, per_sender: u64) -> RpcRun {
    use weft_rpc::WeftApiClient;
    let dir = tempfile::tempdir().expect("tempdir");
    let store: SharedStore = Arc::new(RocksStore::open(dir.path()).expect("rocksdb"));
    // Each client keeps up to `per_sender` transfers in flight in the pool between blocks.
    let config = NodeConfig {
        mining,
        mempool: MempoolLimits {
            max_nonce_ahead: per_sender,
            ..MempoolLimits::default()
        },
        ..NodeConfig::dev()
    };
    let node = NodeHandle::open(store, config).expect("node");
    let (addr, server) = weft_node::rpc::serve(
        node.clone(),
        "127.0.0.1:0".parse().expect("addr"),
        Default::default(),
    )
    .await
    .expect("serve");
    let accounts = dev_accounts();
    let deploy = token_deploy(0, &accounts[0]);
    let deploy_hash = node.submit(deploy).expect("deploy");
    if mining != MiningMode::Instant {
        node.mine().expect("deploy block");
    }
    let token = node
        .with_chain(|c| c.receipt(&deploy_hash))
        .expect("read")
        .and_then(|r| r.contract_address)
        .expect("deployed");
    let miner = match mining {
        MiningMode::Interval(every) => Some(node.mine_every(every)),
        _ => None,
    };
    let mut blocks = node.subscribe_blocks();
    let total = senders as u64 * per_sender;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, account) in accounts.iter().take(senders).enumerate() {
        let first_nonce = u64::from(i == 0);
        let txs: Vec<String> = transfers(token, account, first_nonce, per_sender)
            .into_iter()
            .map(|tx| format!("0x{}", hex::encode(tx.encode())))
            .collect();
        let client = jsonrpsee::http_client::HttpClientBuilder::default()
            .build(format!("http://{addr}"))
            .expect("client");
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(txs.len());
            for tx in txs {
                let sent = Instant::now();
                client.send_raw_transaction(tx).await.expect("accepted");
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let (mut included, mut block_count) = (0u64, 0usize);
    while included < total {
        let produced = blocks.recv().await.expect("blocks go on");
        assert!(produced.rejected.is_empty(), "no transfer is rejected");
        if !produced.receipts.is_empty() {
            block_count += 1;
        }
        included += produced.receipts.len() as u64;
    }
    let elapsed = start.elapsed();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("sender"));
    }
    if let Some(miner) = miner {
        miner.abort();
    }
    server.stop().expect("stop");
    let stats = Stats::of(latencies.clone());
    latencies.sort();
    RpcRun {
        rate: total as f64 / elapsed.as_secs_f64(),
        p50: stats.median,
        p99: latencies[((latencies.len() - 1) as f64 * 0.99).round() as usize],
        blocks: block_count,
    }
}

fn rpc_throughput(mode: Mode, findings: &mut Findings) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let senders = 4usize;
    let per_sender: u64 = match mode {
        Mode::Full => 500,
        Mode::Smoke => 3,
    };
    let interval = Duration::from_millis(100);
    let instant = runtime.block_on(rpc_load(MiningMode::Instant, senders, per_sender));
    let batched = runtime.block_on(rpc_load(MiningMode::Interval(interval), senders, per_sender));
    let row = |name: &str, run: &RpcRun| {
        format!(
            "| {name} | **{:.0}** | {} | {} | {} |\n",
            run.rate,
            fmt_duration(run.p50),
            fmt_duration(run.p99),
            run.blocks
        )
    };
    let best = instant.rate.max(batched.rate);
    findings.rpc_interval_rate = Some(batched.rate);
    findings.sections.push(format!(
        "## Chain throughput (JSON-RPC, end to end)\n\n{senders} clients on loopback (jsonrpsee HTTP), each sending \
         {per_sender} signed token transfers one after another with `weft_sendRawTransaction` to a node on RocksDB; \
         timed from the first send until the last transfer is in a block. Instant mining answers once the \
         transaction is mined (a block and a synced write each); interval mining answers on admission to the pool.\n\n\
         | mining | transfers/s | send p50 | send p99 | blocks |\n|---|---:|---:|---:|---:|\n{}{}\n\
         Goal ≥ 3,000/s end to end: best here {best:.0}/s ({}).\n",
        row("instant (a block per transaction)", &instant),
        row(&format!("interval ({} ms blocks)", interval.as_millis()), &batched),
        if best >= 3_000.0 { "met" } else { "missed" }
    ));
}

fn network_throughput(mode: Mode, findings: &mut Findings) {
    let (validators, senders) = (4, 4);
    let per_sender: u64 = match mode {
        Mode::Full => 500,
        Mode::Smoke => 3,
    };
    let run = crate::network::testnet_load(validators, senders, per_sender);
    findings.sections.push(format!(
        "## Network (4 validators, end to end)\n\n{validators} validators in one process, each with its own RocksDB, \
         Commonware Tokio runtime, authenticated p2p over loopback TCP and JSON-RPC server (what `weft testnet` \
         runs as processes), Simplex consensus with blocks as fast as it finalizes them. {senders} clients each send \
         {per_sender} value transfers one after another with `weft_sendRawTransaction`, each to its own validator; \
         latency is from the send until validator 0 commits the finalized block holding the transfer.\n\n\
         | finalized transfers/s | submit → finalized p50 | p99 | blocks with transfers | heights |\n\
         |---:|---:|---:|---:|---:|\n| **{:.0}** | {} | {} | {} | {} |\n\n\
         Beside the single node above: the same clients reach {:.2}× its interval-mining rate; each block waits for \
         its parent's finalization (version 1 builds only on the committed head).\n",
        run.rate,
        fmt_duration(run.p50),
        fmt_duration(run.p99),
        run.blocks,
        run.heights,
        run.rate / findings.rpc_interval_rate.unwrap_or(f64::NAN),
    ));
}

fn storage(mode: Mode, findings: &mut Findings) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store: SharedStore = Arc::new(RocksStore::open(dir.path()).expect("rocksdb"));
    let mut bench = crate::StorageBench::new(store);
    let samples = mode.samples(200);
    let read = measure(samples, || bench.read100());
    let write = measure(samples, || bench.write100_and_commit());
    let per_second = |s: &Stats| 100.0 / s.median.as_secs_f64();
    findings.sections.push(format!(
        "## Storage\n\nContract storage through host calls on RocksDB, 100 per call: reads (committed keys) {} per \
         call → **{:.0} reads/s**; writes then a synced commit {} per call → **{:.0} writes/s**.\n",
        fmt_duration(read.median),
        per_second(&read),
        fmt_duration(write.median),
        per_second(&write)
    ));
}

/// The whole report as markdown, with the machine, versions and date.
pub fn markdown(findings: &Findings, header: &str) -> String {
    let mut md = format!("# Weft benchmarks\n\n{header}\n");
    for section in &findings.sections {
        md.push('\n');
        md.push_str(section);
    }
    md
}
