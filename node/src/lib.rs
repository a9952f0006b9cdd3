//! The Weft chain: executor, mempool, miner modes, genesis, and the `weft` binary (node and CLI).
//!
//! Contents arrive with the executor and devnet-node issue; this crate exports nothing yet.
