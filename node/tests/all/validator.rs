//! The hooks a consensus engine drives on a validator's handle: a proposal from the pool, a
//! peer's block verified, a finalized block committed (kept or executed again), a redelivery, a
//! finalized block that does not execute here halting the node, and gossip.

use std::sync::Arc;

use weft_chain::dev_accounts;
use weft_node::{Finalized, MiningMode, NodeConfig, NodeError, NodeHandle};
use weft_primitives::{Hash, SignedTransaction};
use weft_state::MemStore;

fn validator() -> NodeHandle {
    let config = NodeConfig {
        mining: MiningMode::Consensus,
        ..NodeConfig::dev()
    };
    NodeHandle::open(Arc::new(MemStore::new()), config).unwrap()
}

fn transfer(nonce: u64) -> SignedTransaction {
    let accounts = dev_accounts();
    accounts[0].transfer(accounts[1].address, 5, nonce)
}

#[test]
fn a_proposal_verifies_and_commits_on_every_validator_and_a_redelivery_is_known() {
    let (proposer, peer, late) = (validator(), validator(), validator());
    // Submitted to the proposer only: nothing is mined in consensus mode.
    let gossip = proposer.subscribe_admitted();
    let hash = proposer.submit(transfer(0)).unwrap();
    proposer.submit(transfer(1)).unwrap();
    assert_eq!(proposer.head().height, 0);
    assert_eq!(gossip.len(), 2, "both are offered for gossip");
    // A block of at most one transaction's bytes holds one of the two.
    let one = proposer.propose(10, 250).unwrap();
    assert_eq!(one.block().transactions.len(), 1);
    let pending = proposer.propose(10, 1 << 20).unwrap();
    let block = pending.block().clone();
    assert_eq!(block.transactions.len(), 2);
    assert_eq!(block.transactions[0].hash(), hash);

    let verified = peer.verify(&block).unwrap().unwrap();
    assert_eq!(verified.block(), &block);
    let certificate = Some(vec![7; 40]);
    for (node, kept) in [(&proposer, Some(pending)), (&peer, Some(verified)), (&late, None)] {
        match node.commit_finalized(&block, kept, certificate.clone()).unwrap() {
            Finalized::Committed(produced) => assert_eq!(produced.block, block),
            Finalized::Known => panic!("block 1 is new"),
        }
        assert_eq!(node.head(), block.header);
        assert_eq!(node.with_chain(|c| c.finalization(1)).unwrap(), certificate);
        assert!(matches!(
            node.commit_finalized(&block, None, None).unwrap(),
            Finalized::Known
        ));
    }
    // The pool lost what the block included.
    assert_eq!(
        proposer.propose(11, 1 << 20).unwrap().block().transactions.len(),
        0
    );
}

#[test]
fn a_gossiped_transaction_is_admitted_and_not_offered_for_gossip_again() {
    let node = validator();
    let gossip = node.subscribe_admitted();
    node.submit_gossiped(transfer(0)).unwrap();
    assert!(gossip.is_empty());
    assert_eq!(node.propose(1, 1 << 20).unwrap().block().transactions.len(), 1);
}

#[test]
fn a_tampered_block_is_refused_and_a_finalized_block_that_does_not_execute_halts_the_node() {
    let (proposer, peer) = (validator(), validator());
    proposer.submit(transfer(0)).unwrap();
    let mut block = proposer.propose(10, 1 << 20).unwrap().block().clone();
    block.header.state_root = Hash([9; 32]);
    assert!(peer.verify(&block).unwrap().is_err(), "verify refuses it");
    let head = peer.head();
    let halted = peer.commit_finalized(&block, None, None);
    assert!(matches!(halted, Err(NodeError::Halted(_))), "{halted:?}");
    assert_eq!(peer.head(), head, "nothing was written");
    assert!(matches!(peer.propose(11, 1 << 20), Err(NodeError::Halted(_))));
}
