//! `weft`: the devnet node, its tools, and the client (see `cli`).
//!
//! - `weft node --dev`: a local chain on RocksDB (`--data-dir`, default `~/.weft/devnet`, or
//!   `--ephemeral`), serving JSON-RPC on `--rpc-addr` (default `127.0.0.1:8645`); instant mining
//!   unless `--block-time SECS` or `--manual`.
//! - `weft node --validator --key FILE --genesis FILE --p2p-addr ADDR --peers KEY@ADDR,...`: one
//!   validator of a network (`validator`); `weft testnet --validators 4`: a local network of
//!   validator processes (`testnet`).
//! - `weft replay --data-dir DIR`: re-executes every block on a fresh store and checks every
//!   state root, gas used and receipt.
//! - `weft deploy | call | view | send | balance | nonce | receipt | tx | block | logs` talk to a
//!   node over JSON-RPC (`--rpc`); `weft keys` and `weft inspect` work locally.

mod cmd;
mod testnet;
mod validator;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use weft_chain::{Chain, Genesis, dev_accounts};
use weft_node::rpc::RpcLimits;
use weft_node::{MiningMode, NodeConfig, NodeHandle};
use weft_state::{MemStore, RocksStore, SharedStore};

#[derive(Parser)]
#[command(name = "weft", version, about = "Weft: a wasm smart-contract chain")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    rpc: cmd::RpcOpts,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a node.
    Node(NodeArgs),
    /// Runs a local network: a genesis with dev validator keys and one validator process each.
    Testnet(testnet::TestnetArgs),
    /// Re-executes every block of a data directory on a fresh store and checks it reproduces.
    Replay {
        /// The data directory to replay.
        #[arg(long)]
        data_dir: PathBuf,
        /// The genesis file the chain was started with (default: the devnet's).
        #[arg(long)]
        genesis: Option<PathBuf>,
    },
    #[command(flatten)]
    Client(cmd::ClientCommand),
}

#[derive(clap::Args)]
struct NodeArgs {
    /// Development mode: the built-in devnet genesis with ten funded accounts (the default when
    /// no --genesis is given).
    #[arg(long)]
    dev: bool,
    /// A genesis file (JSON) instead of the devnet's.
    #[arg(long, conflicts_with = "dev")]
    genesis: Option<PathBuf>,
    /// Where the chain is stored (default: ~/.weft/devnet).
    #[arg(long, conflicts_with = "ephemeral")]
    data_dir: Option<PathBuf>,
    /// Store the chain in a temporary directory, deleted on exit.
    #[arg(long)]
    ephemeral: bool,
    /// JSON-RPC address (HTTP and WebSocket).
    #[arg(long, default_value = "127.0.0.1:8645")]
    rpc_addr: SocketAddr,
    /// Produce a block every SECS seconds instead of one per transaction.
    #[arg(long, value_name = "SECS", conflicts_with = "manual")]
    block_time: Option<u64>,
    /// Produce blocks only on request.
    #[arg(long)]
    manual: bool,
    /// Keep the call traces (`weft_traceTransaction`, `weft trace`) of this many latest blocks.
    #[arg(long, value_name = "BLOCKS", default_value_t = weft_node::DEFAULT_TRACE_BLOCKS)]
    trace_blocks: u64,
    #[command(flatten)]
    validator: validator::ValidatorArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The JSON-RPC server's limits (exceeding one is an error for that request only).
#[derive(clap::Args)]
struct LimitArgs {
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = RpcLimits::default().max_request_bytes)]
    rpc_max_request_bytes: u32,
    /// Largest response body, in bytes.
    #[arg(long, default_value_t = RpcLimits::default().max_response_bytes)]
    rpc_max_response_bytes: u32,
    /// Connections served at once.
    #[arg(long, default_value_t = RpcLimits::default().max_connections)]
    rpc_max_connections: u32,
    /// Requests in one batch.
    #[arg(long, default_value_t = RpcLimits::default().max_batch)]
    rpc_max_batch: u32,
    /// Subscriptions per WebSocket connection.
    #[arg(long, default_value_t = RpcLimits::default().max_subscriptions)]
    rpc_max_subscriptions: u32,
    /// Most gas one weft_call / weft_estimateGas may use.
    #[arg(long, default_value_t = RpcLimits::default().call_gas_cap)]
    rpc_gas_cap: u64,
    /// Wall-clock timeout of weft_call / weft_estimateGas / weft_sendTransaction, in milliseconds.
    #[arg(long, default_value_t = RpcLimits::default().call_timeout.as_millis() as u64)]
    rpc_call_timeout_ms: u64,
    /// weft_call / weft_estimateGas run at once (more wait, within their timeout).
    #[arg(long, default_value_t = RpcLimits::default().max_concurrent_calls)]
    rpc_max_concurrent_calls: u32,
    /// Blocks one weft_getLogs may scan.
    #[arg(long, default_value_t = RpcLimits::default().max_log_blocks)]
    rpc_max_log_blocks: u64,
    /// How many blocks below the head a weft_call with "block" may run.
    #[arg(long, default_value_t = RpcLimits::default().max_history_depth)]
    rpc_max_history_depth: u64,
}

impl LimitArgs {
    fn limits(&self) -> RpcLimits {
        RpcLimits {
            max_request_bytes: self.rpc_max_request_bytes,
            max_response_bytes: self.rpc_max_response_bytes,
            max_connections: self.rpc_max_connections,
            max_batch: self.rpc_max_batch,
            max_subscriptions: self.rpc_max_subscriptions,
            call_gas_cap: self.rpc_gas_cap,
            call_timeout: Duration::from_millis(self.rpc_call_timeout_ms),
            max_concurrent_calls: self.rpc_max_concurrent_calls.max(1),
            max_log_blocks: self.rpc_max_log_blocks.max(1),
            max_history_depth: self.rpc_max_history_depth,
        }
    }
}

/// Why the JSON-RPC server did not start, in words a person can act on.
pub(crate) fn serve_error(addr: SocketAddr, error: std::io::Error) -> AnyError {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => {
            format!("address {addr} is in use (another node?): pass --rpc-addr with a free one").into()
        }
        _ => format!("cannot serve JSON-RPC on {addr}: {error}").into(),
    }
}

fn init_tracing() {
    use std::io::IsTerminal as _;
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        // Colours for a terminal only: a log file (`weft testnet`'s) gets plain text.
        .with_ansi(std::io::stdout().is_terminal())
        .init();
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Node(args) => {
            init_tracing();
            match args.validator.validator {
                true => validator::run(args),
                false => run_node(args),
            }
        }
        Command::Testnet(args) => testnet::run(args),
        Command::Replay { data_dir, genesis } => {
            init_tracing();
            replay(data_dir, genesis)
        }
        Command::Client(command) => cmd::run(command, &cli.rpc).map_err(AnyError::from),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub(crate) type AnyError = Box<dyn std::error::Error>;

pub(crate) fn load_genesis(path: Option<&PathBuf>) -> Result<Genesis, AnyError> {
    match path {
        Some(path) => {
            let json = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Genesis::from_json(&json)?)
        }
        None => Ok(Genesis::dev()),
    }
}

fn default_data_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".weft").join("devnet")
}

fn run_node(args: NodeArgs) -> Result<(), AnyError> {
    let genesis = load_genesis(args.genesis.as_ref())?;
    let ephemeral = args.ephemeral.then(tempfile::TempDir::new).transpose()?;
    let data_dir = match (&ephemeral, args.data_dir) {
        (Some(temp), _) => temp.path().to_path_buf(),
        (None, Some(dir)) => dir,
        (None, None) => default_data_dir(),
    };
    std::fs::create_dir_all(&data_dir)?;
    let mining = match (args.block_time, args.manual) {
        (Some(secs), _) => MiningMode::Interval(Duration::from_secs(secs.max(1))),
        (None, true) => MiningMode::Manual,
        (None, false) => MiningMode::Instant,
    };
    let store: SharedStore = Arc::new(RocksStore::open(&data_dir)?);
    let is_dev = args.genesis.is_none();
    let config = NodeConfig {
        genesis,
        mining,
        trace_blocks: args.trace_blocks,
        ..NodeConfig::dev()
    };
    let node = NodeHandle::open(store, config)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let (bound, server) = weft_node::rpc::serve(node.clone(), args.rpc_addr, args.limits.limits())
            .await
            .map_err(|error| serve_error(args.rpc_addr, error))?;
        print_banner(&node, bound, &data_dir, ephemeral.is_some(), is_dev);
        let miner = match node.mining() {
            MiningMode::Interval(every) => Some(node.mine_every(every)),
            _ => None,
        };
        shutdown_signal().await;
        tracing::info!("shutting down");
        if let Some(miner) = miner {
            miner.abort();
        }
        server.stop()?;
        server.stopped().await;
        tracing::info!(height = node.head().height, "stopped cleanly");
        Ok::<(), AnyError>(())
    })
}

pub(crate) async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

pub(crate) fn print_banner(
    node: &NodeHandle,
    rpc: SocketAddr,
    data_dir: &std::path::Path,
    ephemeral: bool,
    dev: bool,
) {
    let head = node.head();
    let gas_limit = node.with_chain(|chain| chain.genesis().block_gas_limit);
    println!("Weft node");
    println!("  rpc listening on {rpc} (HTTP and WebSocket)");
    println!("  explorer         http://{rpc}/");
    println!("  chain id         {}", node.chain_id());
    println!("  head             block {} ({})", head.height, head.hash());
    println!("  block gas limit  {gas_limit}");
    println!("  mining           {}", node.mining());
    let kind = if ephemeral { " (ephemeral)" } else { "" };
    println!("  data directory   {}{kind}", data_dir.display());
    if dev {
        println!();
        println!("Dev accounts (DEVNET ONLY: these keys are public):");
        for account in dev_accounts() {
            let balance = node.with_chain(|chain| chain.state().account(&account.address).map(|a| a.balance));
            let balance = balance.map_or_else(|e| format!("? ({e})"), |b| b.to_string());
            println!("  {:<6} {}  balance {balance}", account.name, account.address);
            println!("         key {}", account.secret_hex());
        }
    }
    println!();
}

fn replay(data_dir: PathBuf, genesis: Option<PathBuf>) -> Result<(), AnyError> {
    let genesis = load_genesis(genesis.as_ref())?;
    let store: SharedStore = Arc::new(RocksStore::open(&data_dir)?);
    let vm = weft_vm::Vm::new(weft_gas::GasSchedule::default());
    let chain = Chain::open(store, vm.clone(), genesis)?;
    let started = std::time::Instant::now();
    let blocks = chain.replay_into(Arc::new(MemStore::new()), vm)?;
    println!(
        "replayed {blocks} blocks in {:.2?}: every state root, gas used and receipt reproduced",
        started.elapsed()
    );
    Ok(())
}
