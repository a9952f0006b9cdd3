//! Transaction gossip: what this node's clients submit goes to every peer on its own channel, and
//! what a peer sends is checked and admitted like a submission (never sent on again: each node
//! sends only its own clients' transactions, to all).

use commonware_p2p::{Receiver, Recipients, Sender};
use parity_scale_codec::Encode as _;
use tokio::sync::broadcast::error::RecvError;
use weft_chain::MAX_TX_BYTES;
use weft_node::{NodeHandle, SubmitError};
use weft_primitives::{SignedTransaction, decode_exact};

use crate::PublicKey;

/// Sends each transaction this node's clients submit to all peers, until the node is gone.
pub async fn send(node: NodeHandle, mut sender: impl Sender<PublicKey = PublicKey>) {
    let mut admitted = node.subscribe_admitted();
    loop {
        match admitted.recv().await {
            Ok(tx) => {
                sender.send(Recipients::All, tx.encode(), false);
            }
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!("{missed} transactions were not gossiped (the sender fell behind)");
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Admits what peers send to the pool, until the network is gone. A peer's bad transaction is
/// dropped (and logged): it may have been valid where it was sent from.
pub async fn receive(node: NodeHandle, mut receiver: impl Receiver<PublicKey = PublicKey>) {
    while let Ok((peer, message)) = receiver.recv().await {
        let bytes = message.as_ref();
        if bytes.len() > MAX_TX_BYTES {
            tracing::debug!(%peer, size = bytes.len(), "dropped an oversized gossiped transaction");
            continue;
        }
        let tx: SignedTransaction = match decode_exact("signed transaction", bytes) {
            Ok(tx) => tx,
            Err(error) => {
                tracing::debug!(%peer, "dropped a malformed gossiped transaction: {error}");
                continue;
            }
        };
        match node.submit_gossiped(tx) {
            Ok(_) => {}
            Err(SubmitError::Rejected(why)) => {
                tracing::debug!(%peer, "a gossiped transaction is refused: {why}")
            }
            Err(SubmitError::Fault(fault)) => {
                tracing::error!("a gossiped transaction met a node fault: {fault}")
            }
        }
    }
}
