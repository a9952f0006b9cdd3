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

use commonware_codec::Encode as _;
use commonware_consensus::marshal::core::Mailbox;
use commonware_consensus::marshal::standard::Standard;
use commonware_consensus::types::Height;

use crate::Scheme;
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

/// Commits each delivered block on `node` with its finalization certificate if it has one of
/// its own (from marshal's archive, where it is stored before the block is delivered), then
/// acknowledges it; stops at the first that cannot be committed (the node is halted then).
pub async fn run(
    node: NodeHandle,
    marshal: Mailbox<Scheme, Standard<ConsensusBlock>>,
    pending: PendingBlocks,
    mut deliveries: mpsc::UnboundedReceiver<Delivery>,
) {
    while let Some((block, ack)) = deliveries.next().await {
        let block = block.inner();
        let header = &block.block().header;
        if header.height <= node.head().height {
            // Redelivered after a restart: committed already.
            ack.acknowledge();
            continue;
        }
        // A block finalized through a descendant's certificate (an ancestor marshal fetched, or
        // one whose own finalization this node never saw) has none of its own.
        let certificate = marshal.get_finalization(Height::new(header.height)).await;
        let executed = pending.take_finalized(header.height, block.hash());
        let certificate = certificate.map(|finalization| finalization.encode().to_vec());
        match node.commit_finalized(block.block(), executed, certificate) {
            Ok(Finalized::Committed(_) | Finalized::Known) => ack.acknowledge(),
            Err(fault) => {
                tracing::error!(height = header.height, "finalized block not committed: {fault}");
                return;
            }
        }
    }
}
