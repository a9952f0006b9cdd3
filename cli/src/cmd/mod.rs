//! The client side of `weft`: commands that talk to a node over JSON-RPC (`deploy`, `upload`,
//! `instantiate`, `call`, `view`, `send`, `balance`, `nonce`, `receipt`, `trace`, `tx`, `block`,
//! `logs`, `estimate`, `code`, `storage`, `rpc`, and the devnet's `mine`, `snapshot`, `revert`,
//! `increase-time`, `set-balance`), and local ones (`keys`, `inspect`, `abi`). Human output by default, `--json` for scripts; `NO_COLOR` honoured; the exit code is
//! non-zero when a command or its transaction fails. One file per subcommand, as foundry's
//! `cast` has; `client` and `output` are what they share.

mod abi;
mod balance;
mod block;
mod call;
mod client;
mod deploy;
mod dev;
mod estimate;
mod inspect;
mod instantiate;
mod keys;
mod logs;
mod nonce;
mod output;
mod receipt;
mod rpc;
mod send;
mod state;
mod trace;
mod tx;
mod upload;
mod view;

use std::path::PathBuf;

use clap::{Args, Subcommand};

use client::Client;
use output::Out;

/// Why a client command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments or local files.
    #[error("{0}")]
    Usage(String),
    /// The node answered with an error.
    #[error("{}", rpc_message(.0))]
    Rpc(#[from] jsonrpsee::core::client::Error),
    /// The node could not be reached.
    #[error("cannot reach the node at {url} — is `weft node --dev` running? (or pass --rpc URL) ({error})")]
    Unreachable {
        /// The URL tried.
        url: String,
        /// What the transport said.
        error: jsonrpsee::core::client::Error,
    },
    /// The transaction was included but failed (reverted, out of gas, trapped).
    #[error("{0}")]
    Failed(String),
    /// A local file could not be read or written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// An RPC error as a person reads it: the node's message and code, or why it was not reached.
fn rpc_message(error: &jsonrpsee::core::client::Error) -> String {
    match error {
        jsonrpsee::core::client::Error::Call(object) => {
            format!("{} (JSON-RPC error {})", object.message(), object.code())
        }
        other => format!("cannot reach the node: {other}"),
    }
}

/// Options every RPC command takes.
#[derive(Args, Debug, Clone)]
pub struct RpcOpts {
    /// The node's JSON-RPC URL.
    #[arg(
        long,
        env = "WEFT_RPC",
        default_value = "http://127.0.0.1:8645",
        global = true
    )]
    rpc: String,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

/// Options of commands that send a transaction.
#[derive(Args, Debug, Clone)]
pub struct TxOpts {
    /// Who signs: a dev account's name, a stored key's name (`weft keys`), or a key file.
    #[arg(long)]
    from: String,
    /// Value to send with it.
    #[arg(long, default_value_t = 0)]
    value: u128,
    /// Gas limit (default: estimated for calls, 100,000,000 for deploys).
    #[arg(long)]
    gas: Option<u64>,
    /// Gas price.
    #[arg(long, default_value_t = 1)]
    gas_price: u128,
    /// Seconds to wait for the receipt (0: print the transaction hash and return at once).
    #[arg(long, default_value_t = 60)]
    wait: u64,
}

/// Client commands.
#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Deploys a contract; prints its address.
    Deploy(deploy::Deploy),
    /// Stores a contract's code once, for `instantiate` and contracts' `create`; prints its hash.
    Upload(upload::Upload),
    /// Deploys stored code by its hash; prints the new contract's address.
    Instantiate(instantiate::Instantiate),
    /// Calls a contract method in a transaction; prints the status, result and events.
    Call(call::Call),
    /// Runs a contract method without a transaction; prints its result.
    View(view::View),
    /// The gas limit a transaction making a call needs (intrinsic gas included).
    Estimate(estimate::Estimate),
    /// Sends value.
    Send(send::Send),
    /// An account's balance.
    Balance(balance::Balance),
    /// An account's next nonce.
    Nonce(nonce::Nonce),
    /// A transaction's receipt (events decoded through the contract's ABI).
    Receipt(receipt::Receipt),
    /// A transaction's call tree: gas per frame, logs and decoded events, indented.
    Trace(trace::Trace),
    /// An included transaction.
    Tx(tx::Tx),
    /// A block by height or hash (default: the head).
    Block(block::Block),
    /// Logs of a block range, decoded through each contract's ABI; `--follow` for new ones.
    Logs(logs::Logs),
    /// Calls any JSON-RPC method with JSON parameters; prints the result.
    Rpc(rpc::Rpc),
    /// A contract's code or storage at the head.
    #[command(flatten)]
    State(state::State),
    /// Devnet controls: mine, snapshot, revert, increase-time, set-balance.
    #[command(flatten)]
    Dev(dev::Dev),
    /// Manages stored signing keys.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Prints a wasm file's ABI (`weft_abi` section) as JSON; `encode` / `decode` convert a
    /// method's arguments or result between JSON and SCALE hex through it.
    Abi {
        /// The wasm file.
        file: PathBuf,
        /// Convert instead of printing the ABI.
        #[command(subcommand)]
        convert: Option<abi::Convert>,
    },
    /// Describes a wasm file: size, imports, exports, ABI, and whether this chain accepts it.
    Inspect {
        /// The wasm file.
        file: PathBuf,
    },
}

/// Runs a client command.
pub fn run(command: ClientCommand, opts: &RpcOpts) -> Result<(), CliError> {
    let out = Out::new(opts.json);
    match command {
        ClientCommand::Keys(command) => keys::run(command, &out),
        ClientCommand::Inspect { file } => inspect::run(&file, &out),
        ClientCommand::Abi { file, convert } => abi::run(&file, convert),
        rpc_command => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(run_rpc(rpc_command, opts, &out))
        }
    }
}

/// Runs a command that talks to the node; a node that cannot be reached is named with a hint.
async fn run_rpc(command: ClientCommand, opts: &RpcOpts, out: &Out) -> Result<(), CliError> {
    run_rpc_command(command, opts, out)
        .await
        .map_err(|error| match error {
            CliError::Rpc(error) if !matches!(error, jsonrpsee::core::client::Error::Call(_)) => {
                CliError::Unreachable {
                    url: opts.rpc.clone(),
                    error,
                }
            }
            other => other,
        })
}

async fn run_rpc_command(command: ClientCommand, opts: &RpcOpts, out: &Out) -> Result<(), CliError> {
    let client = &mut Client::connect(&opts.rpc)?;
    match command {
        ClientCommand::Deploy(command) => command.run(client, out).await,
        ClientCommand::Upload(command) => command.run(client, out).await,
        ClientCommand::Instantiate(command) => command.run(client, out).await,
        ClientCommand::Trace(command) => command.run(client, out).await,
        ClientCommand::Call(command) => command.run(client, out).await,
        ClientCommand::View(command) => command.run(client, out).await,
        ClientCommand::Estimate(command) => command.run(client, out).await,
        ClientCommand::Send(command) => command.run(client, out).await,
        ClientCommand::Balance(command) => command.run(client, out).await,
        ClientCommand::Nonce(command) => command.run(client, out).await,
        ClientCommand::Receipt(command) => command.run(client, out).await,
        ClientCommand::Tx(command) => command.run(client, out).await,
        ClientCommand::Block(command) => command.run(client, out).await,
        ClientCommand::Logs(command) => command.run(client, out).await,
        ClientCommand::Rpc(command) => command.run(client, out).await,
        ClientCommand::State(command) => command.run(client, out).await,
        ClientCommand::Dev(command) => command.run(client, out).await,
        ClientCommand::Keys(_) | ClientCommand::Inspect { .. } | ClientCommand::Abi { .. } => {
            Err(client::usage("not an RPC command"))
        }
    }
}
