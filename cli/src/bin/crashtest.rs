//! `weft-crashtest`: kills a devnet node with SIGKILL at random moments while clients send it
//! transfers and deploys, restarts it on the same data directory, and checks after each restart
//! that every acknowledged transaction still has its receipt and that the head is a whole block;
//! at the end `weft replay` must reproduce the chain. In the manner of RocksDB's `db_crashtest`.
//!
//! ```text
//! weft-crashtest --weft target/debug/weft [--kills 100] [--clients 4] [--seed 1] [--data-dir DIR]
//! ```
//!
//! Exit code 0 when nothing was lost; the last line gives the figures.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use weft_chain::DEV_ACCOUNT_NAMES;
use weft_rpc::{ArgsView, SendTransactionView, WeftApiClient, WeftReadApiClient};

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Kill a devnet node at random moments under load; check that nothing acknowledged is lost.
#[derive(Debug, Parser)]
struct Args {
    /// The `weft` binary to run.
    #[arg(long)]
    weft: PathBuf,
    /// How many times to kill the node.
    #[arg(long, default_value_t = 100)]
    kills: u32,
    /// Clients sending at once, each from its own dev account.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Seed of the kill moments.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The data directory (default: a fresh temporary one).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

/// A running `weft node --dev` and a client of it.
struct Node {
    child: Child,
    client: HttpClient,
}

impl Node {
    fn start(weft: &Path, data_dir: &Path) -> Result<Self, AnyError> {
        let mut child = Command::new(weft)
            .args(["node", "--dev", "--rpc-addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("the node's stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines.next().ok_or("the node exited before its banner")??;
            if let Some(rest) = line.trim().strip_prefix("rpc listening on ") {
                break rest.split_whitespace().next().unwrap_or_default().to_string();
            }
        };
        // Keep reading, so that the node never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let client = HttpClientBuilder::default().build(format!("http://{addr}"))?;
        Ok(Self { child, client })
    }

    fn kill(mut self) -> Result<(), AnyError> {
        self.child.kill()?; // SIGKILL
        self.child.wait()?;
        Ok(())
    }
}

/// A deterministic xorshift stream, for the kill moments.
struct Stream(u64);

impl Stream {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What one client sends: mostly transfers, every tenth a deploy of the counter.
fn transaction(client: usize, n: u64) -> SendTransactionView {
    let from = DEV_ACCOUNT_NAMES[client % DEV_ACCOUNT_NAMES.len()].to_string();
    let to = DEV_ACCOUNT_NAMES[(client + 1) % DEV_ACCOUNT_NAMES.len()].to_string();
    let counter = include_bytes!("../../../contracts/artifacts/counter.wasm");
    let (to, code, args, value) = if n % 10 == 9 {
        let code = format!("0x{}", hex::encode(counter));
        (
            None,
            Some(code),
            Some(ArgsView::Json(vec![serde_json::json!(n)])),
            "0",
        )
    } else {
        (Some(to), None, None, "1")
    };
    SendTransactionView {
        from,
        to,
        method: None,
        code,
        args,
        salt: None,
        value: Some(value.into()),
        gas: None,
        gas_price: None,
    }
}

/// Sends until `stop`, recording each acknowledged hash.
async fn client_loop(client: HttpClient, id: usize, stop: Arc<AtomicBool>, acked: Arc<Mutex<Vec<String>>>) {
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        match client.send_transaction(transaction(id, n)).await {
            Ok(hash) => acked.lock().unwrap_or_else(|e| e.into_inner()).push(hash),
            // The node is being killed, or refused this one (e.g. a nonce taken by a lost pending
            // transaction): not acknowledged, so nothing to check.
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
        n += 1;
    }
}

/// Every acknowledged hash has a receipt, and every transaction of the head block too.
async fn check(node: &Node, acked: &BTreeSet<String>) -> Result<u64, AnyError> {
    let mut lost = 0;
    for hash in acked {
        if node.client.transaction_receipt(hash.clone()).await?.is_none() {
            eprintln!("LOST: {hash} was acknowledged but has no receipt");
            lost += 1;
        }
    }
    let head = node.client.block_number().await?;
    let block = node
        .client
        .block_by_number(head.into(), None)
        .await?
        .ok_or("no head block")?;
    for hash in &block.transactions {
        if node.client.transaction_receipt(hash.clone()).await?.is_none() {
            return Err(format!("the head block {head} lacks the receipt of {hash}").into());
        }
    }
    Ok(lost)
}

fn main() -> Result<(), AnyError> {
    let args = Args::parse();
    let temp = tempfile::tempdir()?;
    let data_dir = args.data_dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let runtime = tokio::runtime::Runtime::new()?;
    let mut stream = Stream(args.seed.max(1));
    let mut acked = BTreeSet::new();
    let (mut lost, started) = (0u64, Instant::now());
    let mut node = Node::start(&args.weft, &data_dir)?;
    for kill in 1..=args.kills {
        let stop = Arc::new(AtomicBool::new(false));
        let round = Arc::new(Mutex::new(Vec::new()));
        let clients: Vec<_> = (0..args.clients)
            .map(|id| runtime.spawn(client_loop(node.client.clone(), id, stop.clone(), round.clone())))
            .collect();
        std::thread::sleep(Duration::from_millis(100 + stream.below(900)));
        node.kill()?;
        stop.store(true, Ordering::SeqCst);
        for client in clients {
            runtime.block_on(client)?;
        }
        acked.extend(round.lock().unwrap_or_else(|e| e.into_inner()).drain(..));
        node = Node::start(&args.weft, &data_dir)?;
        lost += runtime.block_on(check(&node, &acked))?;
        println!(
            "kill {kill}/{}: {} acknowledged so far, {lost} lost",
            args.kills,
            acked.len()
        );
    }
    node.kill()?;
    let replay = Command::new(&args.weft)
        .args(["replay", "--data-dir"])
        .arg(&data_dir)
        .output()?;
    let replayed = replay.status.success();
    println!(
        "{} kills in {:.0?}: {} acknowledged transactions, {lost} lost receipts, replay {}",
        args.kills,
        started.elapsed(),
        acked.len(),
        if replayed { "passed" } else { "FAILED" },
    );
    if !replayed {
        eprintln!("{}", String::from_utf8_lossy(&replay.stderr));
    }
    if lost > 0 || !replayed {
        std::process::exit(1);
    }
    Ok(())
}
