//! `weft node --validator`: one validator of a network — the chain on RocksDB under
//! `DATA_DIR/chain`, consensus's votes, blocks and certificates under `DATA_DIR/consensus`,
//! the same JSON-RPC API as the devnet (its `dev_` methods refused), peers over authenticated
//! TCP.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use weft_chain::MAX_TX_BYTES;
use weft_consensus::{BlockRules, NetworkConfig, PublicKey, Timing, ValidatorConfig};
use weft_node::{MiningMode, NodeConfig, NodeHandle};
use weft_state::{RocksStore, SharedStore};

use crate::{AnyError, NodeArgs, load_genesis, print_banner, shutdown_signal};

/// A validator's options (with `weft node`'s `--genesis`, `--data-dir`, `--rpc-addr` and
/// `--block-time`, the proposer's wait after its parent, default 1 s).
#[derive(clap::Args)]
pub(crate) struct ValidatorArgs {
    /// Run as a validator of the network in --genesis (needs --key and --p2p-addr).
    #[arg(long, requires_all = ["genesis", "key", "p2p_addr"], conflicts_with_all = ["dev", "manual", "ephemeral"])]
    pub(crate) validator: bool,
    /// The validator's key file: its 32-byte ed25519 secret as hex (`weft testnet` writes them).
    #[arg(long, value_name = "FILE", requires = "validator")]
    key: Option<PathBuf>,
    /// The address to listen on for the other validators.
    #[arg(long, value_name = "ADDR", requires = "validator")]
    p2p_addr: Option<SocketAddr>,
    /// The other validators, comma-separated: each its genesis public key (hex), `@`, its p2p address.
    #[arg(long, value_name = "KEY@ADDR", value_delimiter = ',', requires = "validator")]
    peers: Vec<String>,
}

/// The most bytes of transactions in a block: four of the largest transactions.
const MAX_BLOCK_BYTES: usize = 4 * MAX_TX_BYTES;

pub(crate) fn run(args: NodeArgs) -> Result<(), AnyError> {
    let genesis = load_genesis(args.genesis.as_ref())?;
    if genesis.validators.is_empty() {
        return Err("the genesis lists no validators: a network needs at least one".into());
    }
    let validators = (genesis.validators.iter())
        .map(weft_consensus::public_key)
        .collect::<Result<Vec<PublicKey>, _>>()?;
    let key_file = args.validator.key.as_ref().ok_or("--key is required")?;
    let key_text = std::fs::read_to_string(key_file).map_err(|e| format!("{}: {e}", key_file.display()))?;
    let signer =
        weft_consensus::parse_private_key(&key_text).map_err(|e| format!("{}: {e}", key_file.display()))?;
    let me = weft_consensus::public_key_of(&signer);
    if !validators.contains(&me) {
        return Err(format!(
            "{}: this key is not one of the genesis validators",
            key_file.display()
        )
        .into());
    }
    let peers = (args.validator.peers.iter())
        .map(|entry| parse_peer(entry, &validators, &me))
        .collect::<Result<Vec<_>, AnyError>>()?;
    let listen = args.validator.p2p_addr.ok_or("--p2p-addr is required")?;
    let data_dir = args.data_dir.clone().unwrap_or_else(default_data_dir);
    std::fs::create_dir_all(data_dir.join("chain"))?;
    let store: SharedStore = Arc::new(RocksStore::open(data_dir.join("chain"))?);
    let chain_id = genesis.chain_id;
    let node = NodeHandle::open(
        store,
        NodeConfig {
            genesis,
            mining: MiningMode::Consensus,
            trace_blocks: args.trace_blocks,
            ..NodeConfig::dev()
        },
    )?;
    let rules = BlockRules {
        max_block_bytes: MAX_BLOCK_BYTES,
        block_time: Duration::from_secs(args.block_time.unwrap_or(1)),
        max_clock_drift: Duration::from_secs(10),
    };
    let config = NetworkConfig {
        validator: ValidatorConfig {
            signer,
            validators,
            namespace: weft_consensus::namespace(chain_id),
            partition: "weft".into(),
            rules,
            timing: Timing::default(),
        },
        listen,
        peers,
        storage: data_dir.join("consensus"),
        threads: 2,
    };
    let (rpc_addr, limits) = (args.rpc_addr, args.limits.limits());
    let peer_count = config.peers.len();
    let serving = node.clone();
    weft_consensus::run(node, config, move || async move {
        let (bound, server) = match weft_node::rpc::serve(serving.clone(), rpc_addr, limits).await {
            Ok(served) => served,
            Err(error) => {
                tracing::error!("{}", crate::serve_error(rpc_addr, error));
                return;
            }
        };
        print_banner(&serving, bound, &data_dir, false, false);
        println!("Validator");
        println!(
            "  key              0x{}",
            hex::encode(weft_consensus::public_key_bytes(&me))
        );
        println!("  p2p listening on {listen}, {peer_count} peers");
        println!();
        shutdown_signal().await;
        tracing::info!("shutting down");
        if let Err(error) = server.stop() {
            tracing::warn!("the JSON-RPC server was stopped already: {error}");
        }
        server.stopped().await;
        tracing::info!(height = serving.head().height, "stopped cleanly");
    })?;
    Ok(())
}

/// `KEY@ADDR`: a genesis validator other than this one, and where it listens.
fn parse_peer(
    entry: &str,
    validators: &[PublicKey],
    me: &PublicKey,
) -> Result<(PublicKey, SocketAddr), AnyError> {
    let (key, addr) = entry
        .split_once('@')
        .ok_or_else(|| format!("peer {entry:?}: expected KEY@HOST:PORT"))?;
    let bytes: [u8; 32] = hex::decode(key.trim_start_matches("0x"))
        .map_err(|e| format!("peer {entry:?}: {e}"))?
        .try_into()
        .map_err(|_| format!("peer {entry:?}: a key is 32 bytes"))?;
    let key = weft_consensus::public_key(&bytes)?;
    if !validators.contains(&key) {
        return Err(format!("peer {entry:?} is not a genesis validator").into());
    }
    if key == *me {
        return Err(format!("peer {entry:?} is this validator").into());
    }
    let addr = addr.parse().map_err(|e| format!("peer {entry:?}: {e}"))?;
    Ok((key, addr))
}

fn default_data_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".weft").join("validator")
}
