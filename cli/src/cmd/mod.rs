//! The client side of `weft`: commands that talk to a node over JSON-RPC (`deploy`, `call`,
//! `view`, `send`, `balance`, `nonce`, `receipt`, `tx`, `block`, `logs`), and local ones (`keys`,
//! `inspect`). Human output by default, `--json` for scripts; `NO_COLOR` honoured; the exit code is
//! non-zero when a command or its transaction fails.

mod commands;
mod inspect;
mod keys;

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Why a client command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments or local files.
    #[error("{0}")]
    Usage(String),
    /// The node answered with an error or could not be reached.
    #[error("{}", rpc_message(.0))]
    Rpc(#[from] jsonrpsee::core::client::Error),
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
    /// Seconds to wait for the receipt.
    #[arg(long, default_value_t = 60)]
    wait: u64,
}

/// Client commands.
#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Deploys a contract; prints its address.
    Deploy {
        /// The wasm file.
        file: PathBuf,
        /// Constructor arguments as JSON values through the contract's ABI (plain words are strings).
        args: Vec<String>,
        /// Constructor arguments as SCALE hex instead.
        #[arg(long, conflicts_with = "args")]
        args_hex: Option<String>,
        /// Salt (0x + 64 hex; default zero).
        #[arg(long)]
        salt: Option<String>,
        #[command(flatten)]
        tx: TxOpts,
    },
    /// Calls a contract method in a transaction; prints the status, result and events.
    Call {
        /// The contract.
        address: String,
        /// The method.
        method: String,
        /// Arguments as JSON values through the contract's ABI (plain words are strings; dev
        /// account names are their addresses where the ABI wants an Address).
        args: Vec<String>,
        /// Arguments as SCALE hex instead.
        #[arg(long, conflicts_with = "args")]
        args_hex: Option<String>,
        #[command(flatten)]
        tx: TxOpts,
    },
    /// Runs a contract method without a transaction; prints its result.
    View {
        /// The contract.
        address: String,
        /// The method.
        method: String,
        /// Arguments, as for `call`.
        args: Vec<String>,
        /// Arguments as SCALE hex instead.
        #[arg(long, conflicts_with = "args")]
        args_hex: Option<String>,
        /// The caller it runs as.
        #[arg(long)]
        from: Option<String>,
    },
    /// Sends value.
    Send {
        /// The recipient (address, dev account or stored key name).
        to: String,
        /// The amount.
        amount: u128,
        #[command(flatten)]
        tx: TxOpts,
    },
    /// An account's balance.
    Balance {
        /// Address, dev account or stored key name.
        account: String,
    },
    /// An account's next nonce.
    Nonce {
        /// Address, dev account or stored key name.
        account: String,
    },
    /// A transaction's receipt (events decoded through the contract's ABI).
    Receipt {
        /// The transaction hash.
        hash: String,
    },
    /// An included transaction.
    Tx {
        /// The transaction hash.
        hash: String,
    },
    /// A block by height or hash (default: the head).
    Block {
        /// Height or 0x hash.
        id: Option<String>,
    },
    /// Logs of a block range, decoded through each contract's ABI.
    Logs {
        /// Only this contract's.
        #[arg(long)]
        address: Option<String>,
        /// Only this event (by name; needs --address for its ABI).
        #[arg(long, requires = "address")]
        event: Option<String>,
        /// First block (default 0).
        #[arg(long, default_value_t = 0)]
        from_block: u64,
        /// Last block (default: the head).
        #[arg(long)]
        to_block: Option<u64>,
    },
    /// Manages stored signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Describes a wasm file: size, imports, exports, ABI, and whether this chain accepts it.
    Inspect {
        /// The wasm file.
        file: PathBuf,
    },
}

/// `weft keys`.
#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Creates a random key and stores it under NAME.
    New {
        /// Its name.
        name: String,
    },
    /// Stores a secret key (hex) under NAME.
    Import {
        /// Its name.
        name: String,
        /// The 32-byte secret as hex.
        secret: String,
    },
    /// Lists the stored keys and the dev accounts.
    List,
}

/// Runs a client command.
pub fn run(command: ClientCommand, opts: &RpcOpts) -> Result<(), CliError> {
    commands::run(command, opts)
}
