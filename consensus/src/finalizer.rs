//! [`Finalizer`]: where marshal delivers finalized blocks, in height order, at least once. Each is
//! committed on the node (its executed form from propose or verify if kept, else executed again)
//! in one synced write, and acknowledged to marshal only after that write; subscribers are told
//! by the node. A block at or below the head (a redelivery after a restart) is acknowledged only.
//! A block that cannot be committed halts the node: it is never acknowledged, so marshal stops.

use commonware_actor::Feedback;
use commonware_consensus::Reporter;
use commonware_consensus::marshal::Update;
use commonware_cryptography::Digested;
use commonware_utils::Acknowledgement as _;
use commonware_utils::acknowledgement::Exact;
use futures::StreamExt as _;
use futures::channel::mpsc;
use weft_node::{Finalized, NodeHandle};

use crate::application::PendingBlocks;
use crate::block::ConsensusBlock;

/// A finalized block and the acknowledgement marshal waits for.
type Delivery = (Digested<ConsensusBlock>, Exact);

/// Marshal's reporter: hands finalized blocks to [`run`], which commits them.
#[derive(Clone)]
pub struct Finalizer {
    deliveries: mpsc::UnboundedSender<Delivery>,
}

impl Finalizer {
    /// A finalizer and the receiving end for [`run`].
    pub fn new() -> (Self, mpsc::UnboundedReceiver<Delivery>) {
        let (deliveries, receiver) = mpsc::unbounded();
        (Self { deliveries }, receiver)
    }
}

impl Reporter for Finalizer {
    type Activity = Update<ConsensusBlock>;

    fn report(&mut self, activity: Self::Activity) -> Feedback {
        match activity {
            Update::Block(block, ack) => match self.deliveries.unbounded_send((block, ack)) {
                Ok(()) => Feedback::Ok,
                Err(_) => Feedback::Closed,
            },
            Update::Tip(..) => Feedback::Ok,
        }
    }
}

/// Commits each delivered block on `node`, then acknowledges it; stops at the first that cannot
/// be committed (the node is halted then).
pub async fn run(
    node: NodeHandle,
    pending: PendingBlocks,
    mut deliveries: mpsc::UnboundedReceiver<Delivery>,
) {
    while let Some((block, ack)) = deliveries.next().await {
        let block = block.inner();
        let header = &block.block().header;
        let executed = pending.take_finalized(header.height, block.hash());
        match node.commit_finalized(block.block(), executed) {
            Ok(Finalized::Committed(_) | Finalized::Known) => ack.acknowledge(),
            Err(fault) => {
                tracing::error!(height = header.height, "finalized block not committed: {fault}");
                return;
            }
        }
    }
}
