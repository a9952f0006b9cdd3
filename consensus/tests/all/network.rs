//! Four validators on the simulated network: they agree block for block, include what any of
//! them was sent, survive a validator offline and restarts, and go on over a lossy link.

use std::time::Duration;

use commonware_runtime::{Clock as _, Runner as _, deterministic};
use rand::RngExt as _;

use crate::support::{LOSSY, Testnet, blocks, dev_address, transfer};

/// The runtime for `seed`, bounded in simulated time.
fn runner(seed: u64) -> deterministic::Runner {
    deterministic::Runner::new(
        deterministic::Config::new()
            .with_seed(seed)
            .with_timeout(Some(Duration::from_secs(900))),
    )
}

/// Every running validator holds the same blocks up to `height`, hash for hash.
fn assert_agree(net: &Testnet, height: u64) -> Vec<weft_primitives::Block> {
    let running: Vec<_> = net.validators.iter().filter_map(|v| v.node.as_ref()).collect();
    let first = blocks(running[0], height);
    for node in &running[1..] {
        assert_eq!(blocks(node, height), first);
    }
    first
}

#[test]
fn four_validators_finalize_the_same_fifty_blocks_and_include_a_transaction() {
    for seed in [1, 2, 3] {
        let first = runner(seed).start(|context| async move {
            let mut net = Testnet::new(context, 4).await;
            for i in 0..4 {
                net.start(i).await;
            }
            net.wait_for_height(3).await;
            // Sent to one validator; gossiped to the rest, so whoever leads next includes it.
            let tx = transfer(0, 12_345);
            let hash = net.node(2).submit(tx).unwrap();
            net.wait_for_height(50).await;
            let chain = assert_agree(&net, 50);
            let included: Vec<_> = chain
                .iter()
                .filter(|b| b.transactions.iter().any(|t| t.hash() == hash))
                .collect();
            assert_eq!(
                included.len(),
                1,
                "seed {seed}: the transaction is in exactly one block"
            );
            for v in &net.validators {
                let node = v.node.as_ref().unwrap();
                let receipt = node.with_chain(|c| c.receipt(&hash)).unwrap().unwrap();
                assert_eq!(receipt.status, weft_primitives::ExecStatus::Success);
                let balance = node
                    .with_chain(|c| c.state().account(&dev_address(1)))
                    .unwrap()
                    .balance;
                assert_eq!(balance, weft_chain::DEV_BALANCE + 12_345);
            }
            // Every block is finalized by a quorum of the four, and says so on every node.
            let validators = net.publics();
            let namespace = weft_consensus::namespace(weft_chain::DEV_CHAIN_ID);
            for v in &net.validators {
                let node = v.node.as_ref().unwrap();
                for block in &chain[1..] {
                    let height = block.header.height;
                    let certificate = node.with_chain(|c| c.finalization(height)).unwrap().unwrap();
                    weft_consensus::verify_finalization(
                        &certificate,
                        &validators,
                        &namespace,
                        block.header.hash(),
                    )
                    .unwrap();
                    let other = chain[height as usize - 1].header.hash();
                    assert!(
                        weft_consensus::verify_finalization(&certificate, &validators, &namespace, other)
                            .is_err()
                    );
                    assert!(
                        weft_consensus::verify_finalization(
                            &certificate,
                            &validators,
                            b"weft-9",
                            block.header.hash()
                        )
                        .is_err()
                    );
                }
            }
            // Timestamps never go back, heights are consecutive, parents chain.
            for pair in chain.windows(2) {
                assert_eq!(pair[1].header.parent_hash, pair[0].header.hash());
                assert_eq!(pair[1].header.height, pair[0].header.height + 1);
                assert!(pair[1].header.timestamp >= pair[0].header.timestamp);
            }
            chain[50].header.hash()
        });
        // The same seed gives the same chain: run once more.
        let again = runner(seed).start(|context| async move {
            let mut net = Testnet::new(context, 4).await;
            for i in 0..4 {
                net.start(i).await;
            }
            net.wait_for_height(3).await;
            net.node(2).submit(transfer(0, 12_345)).unwrap();
            net.wait_for_height(50).await;
            assert_agree(&net, 50)[50].header.hash()
        });
        assert_eq!(first, again, "seed {seed}: a run is reproducible");
    }
}

#[test]
fn a_validator_offline_for_twenty_heights_backfills_and_one_down_does_not_stop_the_rest() {
    runner(7).start(|context| async move {
        let mut net = Testnet::new(context, 4).await;
        for i in 0..4 {
            net.start(i).await;
        }
        net.wait_for_height(5).await;
        net.kill(3);
        let stopped_at = net.node(0).head().height;
        // Three of four go on.
        net.wait_for_height(stopped_at + 20).await;
        net.start(3).await;
        let target = net.node(0).head().height + 2;
        net.wait_for_height(target).await;
        assert_agree(&net, target);
    });
}

#[test]
fn two_validators_down_halt_the_chain_until_one_returns() {
    runner(11).start(|context| async move {
        let mut net = Testnet::new(context, 4).await;
        for i in 0..4 {
            net.start(i).await;
        }
        net.wait_for_height(3).await;
        net.kill(2);
        net.kill(3);
        net.context.sleep(Duration::from_secs(5)).await;
        let halted = net.node(0).head().height;
        net.context.sleep(Duration::from_secs(60)).await;
        assert_eq!(
            net.node(0).head().height,
            halted,
            "two of four down: no quorum, no blocks"
        );
        net.start(2).await;
        net.wait_for_height(halted + 5).await;
        assert_agree(&net, halted + 5);
    });
}

#[test]
fn random_unclean_restarts_and_a_lossy_link_leave_one_chain() {
    runner(21).start(|context| async move {
        let mut net = Testnet::new(context, 4).await;
        for i in 0..4 {
            net.start(i).await;
        }
        net.link(0, 1, LOSSY).await;
        let mut nonce = 0;
        for round in 0..6 {
            // One validator at a time is killed at a random moment and comes back.
            let victim = net.context.random_range(0..4usize);
            let wait = net.context.random_range(200..3_000u64);
            net.context.sleep(Duration::from_millis(wait)).await;
            net.kill(victim);
            let submit_to = (victim + 1) % 4;
            net.node(submit_to).submit(transfer(nonce, 1)).unwrap();
            nonce += 1;
            net.context.sleep(Duration::from_millis(wait)).await;
            net.start(victim).await;
            let target = net.node(submit_to).head().height + 2;
            net.wait_for_height(target).await;
            assert_agree(&net, target);
            let _ = round;
        }
        // Every transfer made it, in order, on every node.
        net.wait_for_height(net.node(0).head().height + 3).await;
        for v in &net.validators {
            let node = v.node.as_ref().unwrap();
            let account = node.with_chain(|c| c.state().account(&dev_address(0))).unwrap();
            assert_eq!(account.nonce, nonce);
        }
    });
}
