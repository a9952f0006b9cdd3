//! A validator on real machines: Commonware's Tokio runtime (its storage under the data
//! directory), the authenticated p2p network over TCP (each peer known by its key and address;
//! connections encrypted and authenticated by the validators' keys), and [`crate::start`] on it.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use commonware_codec::{DecodeExt as _, Encode as _};
use commonware_cryptography::{ChaCha20Poly1305, Signer as _};
use commonware_p2p::authenticated::lookup;
use commonware_p2p::{Address, AddressableManager as _};
use commonware_runtime::{Quota, Runner as _, Supervisor as _, tokio as cw_tokio};
use commonware_stream::cups::{self, Cups};
use commonware_stream::sake::{self, Sake};
use commonware_utils::ordered::Map;
use commonware_utils::{NZU32, NZUsize};
use weft_node::NodeHandle;

use crate::engine::{Channels, ValidatorConfig, max_message_bytes};
use crate::{ConsensusError, PrivateKey, PublicKey};

/// Messages a peer may send on one channel per second.
const CHANNEL_QUOTA: Quota = Quota::per_second(NZU32!(10_000));

/// Where a validator listens and how it finds the others.
#[derive(Clone)]
pub struct NetworkConfig {
    /// The validator's consensus configuration.
    pub validator: ValidatorConfig,
    /// The address it listens on for peers.
    pub listen: SocketAddr,
    /// The other validators' addresses (every validator of the genesis but this one).
    pub peers: Vec<(PublicKey, SocketAddr)>,
    /// Where consensus keeps its votes, blocks and certificates (beside the chain's store).
    pub storage: PathBuf,
    /// Worker threads of the runtime.
    pub threads: usize,
}

/// Reads a validator key: 32 bytes as hex (`0x` optional), as `weft testnet` writes them.
pub fn parse_private_key(text: &str) -> Result<PrivateKey, ConsensusError> {
    let bytes = hex::decode(text.trim().trim_start_matches("0x"))
        .map_err(|e| ConsensusError::BadKey(e.to_string()))?;
    PrivateKey::decode(bytes::Bytes::from(bytes)).map_err(|e| ConsensusError::BadKey(e.to_string()))
}

/// A validator's public key from its 32 genesis bytes.
pub fn public_key(bytes: &[u8; 32]) -> Result<PublicKey, ConsensusError> {
    PublicKey::decode(bytes::Bytes::copy_from_slice(bytes)).map_err(|e| ConsensusError::BadKey(e.to_string()))
}

/// The public key of `key`.
pub fn public_key_of(key: &PrivateKey) -> PublicKey {
    key.public_key()
}

/// A public key's 32 bytes, as the genesis lists it.
pub fn public_key_bytes(key: &PublicKey) -> [u8; 32] {
    let mut bytes = [0; 32];
    bytes.copy_from_slice(key.encode().as_ref());
    bytes
}

/// The hex a key file holds for `key`.
pub fn private_key_hex(key: &PrivateKey) -> String {
    format!("0x{}", hex::encode(key.encode()))
}

/// Runs the validator over `node` until `serve` returns: `serve` runs inside the runtime (the
/// JSON-RPC server goes there, and waiting for a shutdown signal); then everything stops.
pub fn run<F, Fut>(node: NodeHandle, config: NetworkConfig, serve: F) -> Result<(), ConsensusError>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let runtime = cw_tokio::Config::new()
        .with_worker_threads(config.threads.max(2))
        .with_storage_directory(config.storage.clone())
        .with_catch_panics(false);
    cw_tokio::Runner::new(runtime).start(|context| async move {
        let validator = config.validator;
        let handshake = Cups::<_, ChaCha20Poly1305>::new(
            Sake {
                signer: validator.signer.clone(),
                synchrony_bound: Duration::from_secs(5),
                max_handshake_age: Duration::from_secs(10),
                version: sake::Version::V1,
            },
            cups::Version::V1,
        );
        let mut p2p = lookup::Config::local(
            handshake,
            &validator.namespace,
            config.listen,
            NZUsize!(validator.validators.len().max(1)),
            max_message_bytes(&validator.rules),
            NZUsize!(1024),
        );
        p2p.allow_private_ips = true;
        let (mut network, mut oracle) = lookup::Network::new(context.child("p2p"), p2p);
        let me = validator.signer.public_key();
        let mut book: Vec<(PublicKey, Address)> = vec![(me, config.listen.into())];
        book.extend(
            config
                .peers
                .iter()
                .map(|(key, addr)| (key.clone(), Address::from(*addr))),
        );
        let book: Map<PublicKey, Address> = book
            .try_into()
            .map_err(|_| ConsensusError::BadKey("a validator is listed twice among the peers".into()))?;
        let _ = oracle.track(0, book);
        let [votes, certificates, resolver, backfill, blocks, transactions] =
            Channels::NUMBERS.map(|channel| network.register(channel, CHANNEL_QUOTA));
        let channels = Channels {
            votes,
            certificates,
            resolver,
            backfill,
            blocks,
            transactions,
        };
        let network_handle = network.start();
        let handles = crate::start(
            context.child("validator"),
            node,
            validator,
            channels,
            oracle.clone(),
            oracle,
        )
        .await?;
        serve().await;
        for handle in handles {
            handle.abort();
        }
        network_handle.abort();
        Ok(())
    })
}
