//! [`start`]: one validator's engines on any Commonware runtime and network — Simplex (votes,
//! certificates, their backfill), marshal (finalized blocks in order, their backfill, the block
//! buffer), the finalizer and transaction gossip — over six channels of one network
//! ([`Channels`]). The deterministic tests run it on the simulated network; `weft node
//! --validator` on the authenticated one over TCP.
//!
//! Simplex persists its votes (a restarted validator never votes twice in a view) and marshal
//! its finalized blocks and certificates, both in the runtime's storage under the validator's
//! partition prefix; the chain is in the node's store.

use std::num::{NonZeroU16, NonZeroU64, NonZeroUsize};
use std::time::Duration;

use commonware_broadcast::buffered;
use commonware_consensus::marshal::core::{Actor, Mailbox};
use commonware_consensus::marshal::resolver::p2p as marshal_resolver;
use commonware_consensus::marshal::standard::{Inline, Standard};
use commonware_consensus::marshal::{Config as MarshalConfig, Start};
use commonware_consensus::simplex::config::{
    Config as SimplexConfig, Floor, ForwardPolicy, SkipBudget, SkipPolicy,
};
use commonware_consensus::simplex::elector::RoundRobin;
use commonware_consensus::types::{Epoch, FixedEpocher, ViewDelta};
use commonware_cryptography::certificate::{ConstantProvider, Verifier as _};
use commonware_cryptography::sha256::Sha256;
use commonware_cryptography::{Digested, Digestible as _, Signer as _};
use commonware_p2p::{Blocker, Provider, Receiver, Sender};
use commonware_parallel::Sequential;
use commonware_runtime::buffer::paged::CacheRef;
use commonware_runtime::{Clock, Handle, Metrics, Spawner, Storage};
use commonware_storage::archive::immutable;
use commonware_utils::ordered::Set;
use commonware_utils::{NZDuration, NZU16, NZU64, NZUsize};
use rand_core::CryptoRng;
use weft_node::NodeHandle;

use crate::application::{BlockRules, PendingBlocks, WeftApplication};
use crate::block::ConsensusBlock;
use crate::finalizer::{self, Finalizer};
use crate::{ConsensusError, PrivateKey, PublicKey, Scheme, gossip};

/// The channels of the network a validator's engines use, each a (sender, receiver) pair.
pub struct Channels<S, R> {
    /// Simplex's votes.
    pub votes: (S, R),
    /// Simplex's certificates.
    pub certificates: (S, R),
    /// Simplex's backfill of certificates.
    pub resolver: (S, R),
    /// Marshal's backfill of blocks.
    pub backfill: (S, R),
    /// Marshal's block buffer (proposed blocks sent whole).
    pub blocks: (S, R),
    /// Transaction gossip.
    pub transactions: (S, R),
}

impl Channels<(), ()> {
    /// The channel numbers, in the order of the fields.
    pub const NUMBERS: [u64; 6] = [0, 1, 2, 3, 4, 5];
}

/// Consensus timing; the defaults suit validators a few milliseconds apart.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// How long a view waits for its leader's proposal.
    pub leader_timeout: Duration,
    /// How long a view waits for a proposal to be certified.
    pub certification_timeout: Duration,
    /// How often a stuck view re-broadcasts its timeout vote.
    pub timeout_retry: Duration,
    /// How long a fetch from one peer may take before another is asked.
    pub fetch_timeout: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            leader_timeout: Duration::from_secs(3),
            certification_timeout: Duration::from_secs(4),
            timeout_retry: Duration::from_secs(5),
            fetch_timeout: Duration::from_secs(2),
        }
    }
}

/// One validator's consensus configuration.
#[derive(Clone)]
pub struct ValidatorConfig {
    /// Its signing key (one of `validators`).
    pub signer: PrivateKey,
    /// The validator set, one vote each.
    pub validators: Vec<PublicKey>,
    /// What signatures are bound to: the chain (see [`crate::namespace`]).
    pub namespace: Vec<u8>,
    /// Prefix of this validator's partitions in the runtime's storage.
    pub partition: String,
    /// How blocks are made.
    pub rules: BlockRules,
    /// Timeouts.
    pub timing: Timing,
}

/// Every block fits in one message of this many bytes on the network ([`BlockRules`]'s bound
/// plus the header and framing).
pub fn max_message_bytes(rules: &BlockRules) -> u32 {
    u32::try_from(rules.max_block_bytes.saturating_add(64 << 10)).unwrap_or(u32::MAX)
}

/// Blocks per marshal epoch: one epoch for the chain's whole life (the validator set is fixed).
const EPOCH_LENGTH: NonZeroU64 = NZU64!(1 << 48);
const PAGE_SIZE: NonZeroU16 = NZU16!(4096);
const PAGE_CACHE: NonZeroUsize = NZUsize!(1024);
const MAILBOX: NonZeroUsize = NZUsize!(1024);
const WRITE_BUFFER: NonZeroUsize = NZUsize!(64 << 10);

/// Starts one validator's engines over `node` (which must be in consensus mode) and the given
/// network `channels`; `peers` is the network's peer provider and `blocker` its peer blocker.
/// The returned handles run until aborted (a restart in the tests) or the runtime stops.
pub async fn start<E, S, R, P, B>(
    context: E,
    node: NodeHandle,
    config: ValidatorConfig,
    channels: Channels<S, R>,
    peers: P,
    blocker: B,
) -> Result<Vec<Handle<()>>, ConsensusError>
where
    E: Clock + CryptoRng + Spawner + Storage + Metrics,
    S: Sender<PublicKey = PublicKey>,
    R: Receiver<PublicKey = PublicKey>,
    P: Provider<PublicKey = PublicKey>,
    B: Blocker<PublicKey = PublicKey> + Clone,
{
    let participants = Set::from_iter_dedup(config.validators.iter().cloned());
    let me = config.signer.public_key();
    let scheme = Scheme::signer(&config.namespace, participants, config.signer.clone())
        .ok_or(ConsensusError::NotAValidator)?;
    let genesis = node
        .with_chain(|chain| chain.block(0))
        .map_err(|e| ConsensusError::Node(e.into()))?
        .ok_or(ConsensusError::NoGenesis)?;
    let genesis = ConsensusBlock::new(genesis);
    let genesis_digest = genesis.digest();
    let page_cache = CacheRef::new(PAGE_SIZE, PAGE_CACHE);
    let prefix = &config.partition;

    let marshal_config = MarshalConfig {
        provider: ConstantProvider::new(scheme.clone()),
        epocher: FixedEpocher::new(EPOCH_LENGTH),
        start: Start::Genesis(Digested::precomputed(genesis, genesis_digest)),
        partition_prefix: format!("{prefix}-marshal"),
        mailbox_size: MAILBOX,
        view_retention: ViewDelta::new(10),
        prunable_items_per_section: NZU64!(1024),
        page_cache: page_cache.clone(),
        replay_buffer: WRITE_BUFFER,
        key_write_buffer: WRITE_BUFFER,
        value_write_buffer: WRITE_BUFFER,
        block_codec_config: config.rules.max_block_bytes,
        max_repair: NZUsize!(16),
        max_pending_acks: NZUsize!(1),
        strategy: Sequential,
    };
    let (resolver_rx, resolver) = marshal_resolver::init(
        context.child("marshal_resolver"),
        marshal_resolver::Config {
            public_key: me.clone(),
            peer_provider: peers.clone(),
            blocker: blocker.clone(),
            mailbox_size: MAILBOX,
            fetch_timeout: NZDuration!(config.timing.fetch_timeout),
            fetch_retry_delay: Duration::from_millis(200),
            priority_requests: false,
            priority_responses: false,
        },
        channels.backfill,
    );
    let (buffer_engine, buffer) = buffered::Engine::new(
        context.child("buffer"),
        buffered::Config {
            public_key: me.clone(),
            mailbox_size: MAILBOX,
            deque_size: 16,
            priority: false,
            codec_config: config.rules.max_block_bytes,
            peer_provider: peers,
            strategy: Sequential,
        },
    );
    let buffer_handle = buffer_engine.start(channels.blocks);

    let finalizations = immutable::Archive::init(
        context.child("finalizations"),
        archive_config(
            &format!("{prefix}-finalizations"),
            &page_cache,
            scheme.certificate_codec_config(),
        ),
    )
    .await
    .map_err(|e| ConsensusError::Storage(e.to_string()))?;
    let blocks = immutable::Archive::init(
        context.child("blocks"),
        archive_config(
            &format!("{prefix}-blocks"),
            &page_cache,
            config.rules.max_block_bytes,
        ),
    )
    .await
    .map_err(|e| ConsensusError::Storage(e.to_string()))?;
    let (actor, marshal, _floor): (_, Mailbox<Scheme, Standard<ConsensusBlock>>, _) =
        Actor::init(context.child("marshal"), finalizations, blocks, marshal_config).await;

    let pending = PendingBlocks::default();
    let (finalizer, deliveries) = Finalizer::new();
    let marshal_handle = actor.start(finalizer, buffer, (resolver_rx, resolver));
    let finalizer_handle = context.child("finalizer").spawn({
        let (node, marshal, pending) = (node.clone(), marshal.clone(), pending.clone());
        move |_| finalizer::run(node, marshal, pending, deliveries)
    });

    let application = WeftApplication::new(node.clone(), pending, config.rules);
    let wrapper = Inline::new(
        context.child("application"),
        application,
        marshal,
        FixedEpocher::new(EPOCH_LENGTH),
    );
    let timing = config.timing;
    let simplex = commonware_consensus::simplex::Engine::new(
        context.child("simplex"),
        SimplexConfig {
            scheme,
            elector: RoundRobin::<Sha256>::default(),
            blocker,
            automaton: wrapper.clone(),
            relay: wrapper.clone(),
            reporter: wrapper,
            strategy: Sequential,
            partition: format!("{prefix}-simplex"),
            mailbox_size: MAILBOX,
            epoch: Epoch::zero(),
            floor: Floor::Genesis(genesis_digest),
            replay_buffer: WRITE_BUFFER,
            write_buffer: WRITE_BUFFER,
            page_cache,
            leader_timeout: timing.leader_timeout,
            certification_timeout: timing.certification_timeout,
            timeout_retry: timing.timeout_retry,
            view_retention: ViewDelta::new(10),
            skip: SkipPolicy::Enabled {
                timeout: timing.certification_timeout + timing.leader_timeout,
                budget: SkipBudget::Participants,
            },
            fetch_timeout: NZDuration!(timing.fetch_timeout),
            fetch_retry_delay: Duration::from_millis(200),
            forward: ForwardPolicy::Disabled,
            track_historical_votes: false,
        },
    );
    let simplex_handle = simplex.start(channels.votes, channels.certificates, channels.resolver);

    let (tx_sender, tx_receiver) = channels.transactions;
    let gossip_out = context.child("gossip_out").spawn({
        let node = node.clone();
        move |_| gossip::send(node, tx_sender)
    });
    let gossip_in = context
        .child("gossip_in")
        .spawn(move |_| gossip::receive(node, tx_receiver));
    Ok(vec![
        simplex_handle,
        marshal_handle,
        buffer_handle,
        finalizer_handle,
        gossip_out,
        gossip_in,
    ])
}

/// An immutable archive's configuration under `partition`.
fn archive_config<C>(partition: &str, page_cache: &CacheRef, codec_config: C) -> immutable::Config<C> {
    immutable::Config {
        metadata_partition: format!("{partition}-metadata"),
        freezer_table_partition: format!("{partition}-freezer-table"),
        freezer_table_initial_size: 1024,
        freezer_table_resize_frequency: 4,
        freezer_table_resize_chunk_size: 256,
        freezer_key_partition: format!("{partition}-freezer-key"),
        freezer_key_page_cache: page_cache.clone(),
        freezer_value_partition: format!("{partition}-freezer-value"),
        freezer_value_target_size: 64 << 20,
        freezer_value_compression: None,
        ordinal_partition: format!("{partition}-ordinal"),
        items_per_section: NZU64!(1024),
        codec_config,
        replay_buffer: WRITE_BUFFER,
        freezer_key_write_buffer: WRITE_BUFFER,
        freezer_value_write_buffer: WRITE_BUFFER,
        ordinal_write_buffer: WRITE_BUFFER,
    }
}
