//! The network section of the report: four validators in one process, each on its own RocksDB,
//! Commonware Tokio runtime, authenticated p2p over loopback TCP and JSON-RPC server — what
//! `weft testnet` runs as four processes. Clients send value transfers with
//! `weft_sendRawTransaction`, each to its own validator; a transfer counts when validator 0
//! commits the finalized block holding it.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use parity_scale_codec::Encode;
use weft_chain::{DEV_CHAIN_ID, Genesis, MAX_TX_BYTES, dev_accounts};
use weft_consensus::{BlockRules, NetworkConfig, Timing, ValidatorConfig};
use weft_node::{MempoolLimits, MiningMode, NodeConfig, NodeHandle};
use weft_primitives::Hash;
use weft_state::{RocksStore, SharedStore};

/// What one load run measured.
pub struct NetworkRun {
    /// Finalized transfers per second, from the first send until the last is committed.
    pub rate: f64,
    /// Median time from a transfer's send to its finalized block's commit on validator 0.
    pub p50: Duration,
    /// 99th percentile of the same.
    pub p99: Duration,
    /// Blocks that held transfers.
    pub blocks: usize,
    /// Heights finalized during the run.
    pub heights: u64,
}

/// Free loopback ports, one per use (bound, then let go).
fn free_ports(n: usize) -> Vec<SocketAddr> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("a free port"))
        .collect();
    listeners.iter().map(|l| l.local_addr().expect("bound")).collect()
}

/// `validators` validators; `senders` clients each send `per_sender` transfers one after another
/// to validator `i % validators`.
pub fn testnet_load(validators: usize, senders: usize, per_sender: u64) -> NetworkRun {
    let keys: Vec<_> = (0..validators as u64)
        .map(weft_consensus::dev_validator_key)
        .collect();
    let publics: Vec<_> = keys.iter().map(weft_consensus::public_key_of).collect();
    let genesis = Genesis {
        validators: publics.iter().map(weft_consensus::public_key_bytes).collect(),
        ..Genesis::dev()
    };
    let ports = free_ports(2 * validators);
    let (p2p, rpc) = ports.split_at(validators);
    let dirs: Vec<_> = (0..validators)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (ready, ready_rx) = std_mpsc::channel::<(usize, NodeHandle)>();
    let mut threads = Vec::new();
    for i in 0..validators {
        let store: SharedStore = Arc::new(RocksStore::open(dirs[i].path().join("chain")).expect("rocksdb"));
        let node = NodeHandle::open(
            store,
            NodeConfig {
                genesis: genesis.clone(),
                mining: MiningMode::Consensus,
                mempool: MempoolLimits {
                    max_nonce_ahead: per_sender,
                    ..MempoolLimits::default()
                },
                ..NodeConfig::dev()
            },
        )
        .expect("node");
        let config = NetworkConfig {
            validator: ValidatorConfig {
                signer: keys[i].clone(),
                validators: publics.clone(),
                namespace: weft_consensus::namespace(DEV_CHAIN_ID),
                partition: "weft".into(),
                rules: BlockRules {
                    max_block_bytes: 4 * MAX_TX_BYTES,
                    block_time: Duration::ZERO,
                    max_clock_drift: Duration::from_secs(10),
                },
                timing: Timing::default(),
            },
            listen: p2p[i],
            peers: (0..validators)
                .filter(|j| *j != i)
                .map(|j| (publics[j].clone(), p2p[j]))
                .collect(),
            storage: dirs[i].path().join("consensus"),
            threads: 2,
        };
        let (addr, mut stopped, ready) = (rpc[i], stopped.clone(), ready.clone());
        threads.push(std::thread::spawn(move || {
            let serving = node.clone();
            weft_consensus::run(node, config, move || async move {
                let (_, server) = weft_node::rpc::serve(serving.clone(), addr, Default::default())
                    .await
                    .expect("serve");
                let _ = ready.send((i, serving));
                let _ = stopped.wait_for(|stop| *stop).await;
                let _ = server.stop();
                server.stopped().await;
            })
            .expect("validator");
        }));
    }
    let mut nodes: Vec<Option<NodeHandle>> = vec![None; validators];
    for _ in 0..validators {
        let (i, node) = ready_rx.recv().expect("a validator started");
        nodes[i] = Some(node);
    }
    let observer = nodes[0].take().expect("validator 0");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let run = runtime.block_on(load(&observer, rpc, senders, per_sender));
    let _ = stop.send(true);
    for thread in threads {
        let _ = thread.join();
    }
    run
}

async fn load(observer: &NodeHandle, rpc: &[SocketAddr], senders: usize, per_sender: u64) -> NetworkRun {
    use weft_rpc::WeftApiClient;
    // Let the validators connect and finalize a first block.
    observer.wait_for_height(1).await;
    let accounts = dev_accounts();
    let mut blocks = observer.subscribe_blocks();
    let start_height = observer.head().height;
    let (sent_tx, mut sent_rx) = tokio::sync::mpsc::unbounded_channel::<(Hash, Instant)>();
    let start = Instant::now();
    for (i, account) in accounts.iter().take(senders).enumerate() {
        let client = jsonrpsee::http_client::HttpClientBuilder::default()
            .build(format!("http://{}", rpc[i % rpc.len()]))
            .expect("client");
        let txs: Vec<_> = (0..per_sender)
            .map(|nonce| account.transfer(accounts[9].address, 1, nonce))
            .collect();
        let sent = sent_tx.clone();
        tokio::spawn(async move {
            for tx in txs {
                let raw = format!("0x{}", hex::encode(tx.encode()));
                let at = Instant::now();
                client.send_raw_transaction(raw).await.expect("accepted");
                let _ = sent.send((tx.hash(), at));
            }
        });
    }
    drop(sent_tx);
    let total = senders as u64 * per_sender;
    let mut sent_at: HashMap<Hash, Instant> = HashMap::new();
    let mut latencies = Vec::new();
    let mut pending_finals: Vec<(Hash, Instant)> = Vec::new();
    let mut block_count = 0;
    while (latencies.len() as u64) < total {
        tokio::select! {
            Some((hash, at)) = sent_rx.recv() => { sent_at.insert(hash, at); }
            produced = blocks.recv() => {
                let produced = produced.expect("blocks go on");
                let now = Instant::now();
                if !produced.tx_hashes.is_empty() {
                    block_count += 1;
                }
                pending_finals.extend(produced.tx_hashes.iter().map(|hash| (*hash, now)));
            }
        }
        // A transfer can be committed before its sender's answer is read: match both ways.
        pending_finals.retain(|(hash, final_at)| match sent_at.get(hash) {
            Some(at) => {
                latencies.push(final_at.saturating_duration_since(*at));
                false
            }
            None => true,
        });
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    NetworkRun {
        rate: total as f64 / elapsed.as_secs_f64(),
        p50: at(0.5),
        p99: at(0.99),
        blocks: block_count,
        heights: observer.head().height - start_height,
    }
}
