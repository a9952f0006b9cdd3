//! The `weft` binary end to end over a real socket: start-up, JSON-RPC, SIGKILL while
//! transactions flow, restart at the last committed block with a recomputable state root, a
//! byte-for-byte replay, and a clean SIGTERM shutdown.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use parity_scale_codec::Encode;
use weft_chain::{Chain, DEV_CHAIN_ID, Genesis, dev_accounts};
use weft_rpc::WeftApiClient;
use weft_state::{MemStore, RocksStore, SharedStore, StateCommitment};
use weft_vm::Vm;

use crate::support::{Devnet, WEFT};

/// Starts `weft node --dev` on `data_dir`, and a client of it.
fn start(data_dir: &Path) -> (Devnet, HttpClient) {
    let node = Devnet::start(&[OsStr::new("--data-dir"), data_dir.as_os_str()]);
    let client = HttpClientBuilder::default().build(&node.url).unwrap();
    (node, client)
}

fn transfer(nonce: u64) -> String {
    let accounts = dev_accounts();
    let tx = accounts[0].transfer(accounts[1].address, 1, nonce);
    format!("0x{}", hex::encode(tx.encode()))
}

#[test]
fn the_devnet_survives_sigkill_and_replays_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();

    let (mut node, client) = start(dir.path());
    let accepted = runtime.block_on(async {
        assert_eq!(client.chain_id().await.unwrap(), DEV_CHAIN_ID);
        assert_eq!(client.block_number().await.unwrap(), 0);
        let bad = client.send_raw_transaction("0x0102".into()).await.unwrap_err();
        assert!(bad.to_string().contains("malformed"), "{bad}");
        // Send transfers without waiting between them; kill the node in the middle of the flow.
        let client = client.clone();
        let flow = tokio::spawn(async move {
            let mut accepted = 0u64;
            for nonce in 0.. {
                match client.send_raw_transaction(transfer(nonce)).await {
                    Ok(_) => accepted += 1,
                    Err(_) => break,
                }
            }
            accepted
        });
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        node.child.kill().unwrap(); // SIGKILL
        node.child.wait().unwrap();
        flow.await.unwrap()
    });
    assert!(accepted > 0, "transactions were flowing when the node was killed");

    // The head is the last fully committed block, and its state root recomputes.
    let head = {
        let store: SharedStore = Arc::new(RocksStore::open(dir.path()).unwrap());
        let vm = Vm::new(Default::default());
        let chain = Chain::open(store.clone(), vm.clone(), Genesis::dev()).unwrap();
        let head = chain.head().clone();
        assert!(
            head.height >= accepted,
            "every acknowledged transaction was committed first"
        );
        assert_eq!(
            head.state_root,
            StateCommitment::recompute(&*store).unwrap().root()
        );
        for height in 0..=head.height {
            assert!(chain.block(height).unwrap().is_some(), "block {height}");
        }
        let nonce = chain.state().account(&dev_accounts()[0].address).unwrap().nonce;
        assert_eq!(nonce, head.height, "one transfer per block, nothing half-applied");
        assert_eq!(
            chain.replay_into(Arc::new(MemStore::new()), vm).unwrap(),
            head.height
        );
        head
    };

    // Restart on the same directory: it resumes at the head and goes on.
    let (mut node, client) = start(dir.path());
    runtime.block_on(async {
        assert_eq!(client.block_number().await.unwrap(), head.height);
        client.send_raw_transaction(transfer(head.height)).await.unwrap();
        assert_eq!(client.block_number().await.unwrap(), head.height + 1);
    });
    let status = Command::new("kill")
        .args(["-TERM", &node.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(node.child.wait().unwrap().success(), "SIGTERM shuts down cleanly");

    // `weft replay` agrees.
    let replay = Command::new(WEFT)
        .args(["replay", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let said = String::from_utf8_lossy(&replay.stdout);
    assert!(
        said.contains(&format!("replayed {} blocks", head.height + 1)),
        "{said}"
    );
}
