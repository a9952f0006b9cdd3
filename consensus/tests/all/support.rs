//! A simulated network of Weft validators on the deterministic runtime: each validator a node on
//! its own in-memory store (kept across its restarts, as a disk would be) and its engines on
//! the simulated network.

use std::sync::Arc;
use std::time::Duration;

use commonware_cryptography::Signer as _;
use commonware_p2p::simulated::{self, Link, Network, Oracle};
use commonware_runtime::{Clock as _, Handle, Quota, Supervisor as _, deterministic};
use commonware_utils::{NZU32, NZUsize, probability};
use weft_chain::{DEV_CHAIN_ID, Genesis, dev_accounts};
use weft_consensus::{BlockRules, Channels, PrivateKey, PublicKey, Timing, ValidatorConfig};
use weft_node::{MiningMode, NodeConfig, NodeHandle};
use weft_primitives::{Address, Block, SignedTransaction};
use weft_state::{MemStore, SharedStore};

/// A reliable link: 50 ms, a little jitter.
pub const LINK: Link = Link {
    latency: Duration::from_millis(50),
    jitter: Duration::from_millis(5),
    success_rate: probability!(1.0),
};

/// A lossy link: 3 in 10 messages lost.
pub const LOSSY: Link = Link {
    latency: Duration::from_millis(120),
    jitter: Duration::from_millis(40),
    success_rate: probability!(0.7),
};

const QUOTA: Quota = Quota::per_second(NZU32!(10_000));

/// The rules of the test network: 1 MiB blocks, a block a second.
pub const RULES: BlockRules = BlockRules {
    max_block_bytes: 1 << 20,
    block_time: Duration::from_secs(1),
    max_clock_drift: Duration::from_secs(5),
};

/// One validator: its key, its store, and (while running) its node and engines.
pub struct Validator {
    /// Its signing key.
    pub key: PrivateKey,
    /// Its chain's store (survives restarts).
    pub store: SharedStore,
    /// Its node, while running.
    pub node: Option<NodeHandle>,
    handles: Vec<Handle<()>>,
}

/// `n` validators on one simulated network.
pub struct Testnet {
    /// The runtime.
    pub context: deterministic::Context,
    /// The network's controls.
    pub oracle: Oracle<PublicKey, deterministic::Context>,
    /// The validators.
    pub validators: Vec<Validator>,
    /// The genesis they share.
    pub genesis: Genesis,
}

impl Testnet {
    /// `n` validators, all linked by `LINK`, none started.
    pub async fn new(context: deterministic::Context, n: u64) -> Self {
        let keys: Vec<PrivateKey> = (0..n).map(weft_consensus::dev_validator_key).collect();
        let publics: Vec<PublicKey> = keys.iter().map(|k| k.public_key()).collect();
        let genesis = Genesis {
            validators: publics.iter().map(key_bytes).collect(),
            ..Genesis::dev()
        };
        let (network, oracle) = Network::new_with_peers(
            context.child("network"),
            simulated::Config {
                max_size: weft_consensus::max_message_bytes(&RULES),
                max_peers_per_set: NZUsize!(n as usize),
                disconnect_on_block: true,
                tracked_peer_sets: NZUsize!(1),
            },
            publics.clone(),
        )
        .await;
        network.start();
        for a in &publics {
            for b in &publics {
                if a != b {
                    oracle.add_link(a.clone(), b.clone(), LINK).await.unwrap();
                }
            }
        }
        let validators = keys
            .into_iter()
            .map(|key| Validator {
                key,
                store: Arc::new(MemStore::new()),
                node: None,
                handles: Vec::new(),
            })
            .collect();
        Self {
            context,
            oracle,
            validators,
            genesis,
        }
    }

    /// The validators' public keys.
    pub fn publics(&self) -> Vec<PublicKey> {
        self.validators.iter().map(|v| v.key.public_key()).collect()
    }

    /// Starts validator `i` on its store (resuming its chain and its consensus storage).
    pub async fn start(&mut self, i: usize) {
        let publics = self.publics();
        let validator = &mut self.validators[i];
        let node = NodeHandle::open(
            validator.store.clone(),
            NodeConfig {
                genesis: self.genesis.clone(),
                mining: MiningMode::Consensus,
                ..NodeConfig::dev()
            },
        )
        .unwrap();
        let me = validator.key.public_key();
        let control = self.oracle.control(me.clone());
        let mut pairs = Vec::new();
        for channel in Channels::NUMBERS {
            pairs.push(control.register(channel, QUOTA).await.unwrap());
        }
        let mut pairs = pairs.into_iter();
        let mut next = || pairs.next().unwrap();
        let channels = Channels {
            votes: next(),
            certificates: next(),
            resolver: next(),
            backfill: next(),
            blocks: next(),
            transactions: next(),
        };
        let config = ValidatorConfig {
            signer: validator.key.clone(),
            validators: publics,
            namespace: weft_consensus::namespace(DEV_CHAIN_ID),
            partition: format!("validator-{i}"),
            rules: RULES,
            timing: Timing::default(),
        };
        let context = self.context.child("validator").with_attribute("index", i);
        validator.handles = weft_consensus::start(
            context,
            node.clone(),
            config,
            channels,
            self.oracle.manager(),
            control,
        )
        .await
        .unwrap();
        validator.node = Some(node);
    }

    /// Stops validator `i` at once, wherever its engines are (an unclean stop: only what they
    /// wrote to storage remains).
    pub fn kill(&mut self, i: usize) {
        let validator = &mut self.validators[i];
        for handle in validator.handles.drain(..) {
            handle.abort();
        }
        validator.node = None;
    }

    /// Validator `i`'s node; it must be running.
    pub fn node(&self, i: usize) -> &NodeHandle {
        self.validators[i].node.as_ref().unwrap()
    }

    /// Waits (in simulated time) until every running validator's head is at `height` or above.
    pub async fn wait_for_height(&self, height: u64) {
        loop {
            let running = self.validators.iter().filter_map(|v| v.node.as_ref());
            if running.clone().all(|node| node.head().height >= height) {
                return;
            }
            self.context.sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets the link from `a` to `b` (both ways).
    pub async fn link(&self, a: usize, b: usize, link: Link) {
        let (pa, pb) = (
            self.validators[a].key.public_key(),
            self.validators[b].key.public_key(),
        );
        for (from, to) in [(pa.clone(), pb.clone()), (pb, pa)] {
            let _ = self.oracle.remove_link(from.clone(), to.clone()).await;
            self.oracle.add_link(from, to, link.clone()).await.unwrap();
        }
    }
}

/// Validator `i`'s blocks 0..=`height`.
pub fn blocks(node: &NodeHandle, height: u64) -> Vec<Block> {
    (0..=height)
        .map(|h| node.with_chain(|chain| chain.block(h)).unwrap().unwrap())
        .collect()
}

/// A transfer of `value` from dev account 0 to dev account 1 with `nonce`.
pub fn transfer(nonce: u64, value: u128) -> SignedTransaction {
    let accounts = dev_accounts();
    accounts[0].transfer(accounts[1].address, value, nonce)
}

/// Dev account `i`'s address.
pub fn dev_address(i: usize) -> Address {
    dev_accounts()[i].address
}

fn key_bytes(key: &PublicKey) -> [u8; 32] {
    use commonware_codec::Encode as _;
    key.encode().as_ref().try_into().unwrap()
}
