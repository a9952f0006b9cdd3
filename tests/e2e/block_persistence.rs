//! Signed transactions, state changes and a block header land in RocksDB in one synced batch,
//! survive a reopen, and give the same roots and bytes on MemStore and RocksStore.

use parity_scale_codec::Encode;
use weft_primitives::{
    Action, Address, Block, BlockHeader, Hash, SignedTransaction, SigningKey, Transaction, decode_exact,
};
use weft_state::{Column, Durability, KvStore, MemStore, Overlay, RocksStore, StateCommitment};

const HEAD_KEY: &[u8] = b"head";

fn transfers(count: u64) -> Vec<SignedTransaction> {
    let key = SigningKey::from_bytes(&[7; 32]);
    (0..count)
        .map(|nonce| {
            Transaction {
                chain_id: 42,
                signer: Transaction::signer_of(&key),
                nonce,
                gas_limit: 21_000,
                gas_price: 1,
                value: u128::from(nonce) + 1,
                action: Action::Transfer {
                    to: Address([nonce as u8; 32]),
                },
            }
            .sign(&key)
        })
        .collect()
}

/// Applies `txs` as balance credits and commits state, block and head pointer in one batch.
fn commit_block(store: &dyn KvStore, parent: Hash, height: u64, txs: Vec<SignedTransaction>) -> Block {
    let mut overlay = Overlay::new(store);
    for signed in &txs {
        signed.verify(42).expect("valid signature");
        let Action::Transfer { to } = &signed.tx.action else {
            unreachable!("only transfers here")
        };
        let old: u128 = overlay
            .get(Column::Accounts, &to.0)
            .unwrap()
            .map(|bytes| decode_exact("balance", &bytes).unwrap())
            .unwrap_or(0);
        overlay.put(Column::Accounts, &to.0, (old + signed.tx.value).encode());
    }
    let mut commit = overlay.commit().unwrap();
    let header = BlockHeader {
        parent_hash: parent,
        height,
        timestamp: 1_700_000_000 + height,
        state_root: commit.root,
        tx_root: Block::tx_root(&txs),
        receipt_root: Hash::ZERO,
        gas_used: 21_000 * txs.len() as u64,
        gas_limit: 30_000_000,
    };
    let block = Block {
        header,
        transactions: txs,
    };
    commit
        .batch
        .put(Column::Blocks, block.hash().0.to_vec(), block.encode());
    commit.batch.put(Column::Meta, HEAD_KEY, block.hash().0.to_vec());
    store.write(&commit.batch, Durability::Sync).unwrap();
    block
}

fn chain(store: &dyn KvStore) -> Vec<Block> {
    let mut parent = Hash::ZERO;
    let mut blocks = Vec::new();
    for (height, txs) in [transfers(5), transfers(3), transfers(8)].into_iter().enumerate() {
        let block = commit_block(store, parent, height as u64, txs);
        parent = block.hash();
        blocks.push(block);
    }
    blocks
}

#[test]
fn blocks_survive_reopen_and_roots_recompute() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = {
        let store = RocksStore::open(dir.path()).unwrap();
        chain(&store)
    };
    let store = RocksStore::open(dir.path()).unwrap();
    let head_hash = store.get(Column::Meta, HEAD_KEY).unwrap().unwrap();
    let head: Block =
        decode_exact("block", &store.get(Column::Blocks, &head_hash).unwrap().unwrap()).unwrap();
    assert_eq!(&head, blocks.last().unwrap());
    assert_eq!(
        head.header.state_root,
        StateCommitment::recompute(&store).unwrap().root()
    );
    for tx in &head.transactions {
        assert_eq!(tx.verify(42), Ok(()));
    }
}

#[test]
fn same_blocks_same_bytes_on_both_stores() {
    let dir = tempfile::tempdir().unwrap();
    let rocks = RocksStore::open(dir.path()).unwrap();
    let mem = MemStore::new();
    let on_rocks = chain(&rocks);
    let on_mem = chain(&mem);
    assert_eq!(
        on_rocks.iter().map(Encode::encode).collect::<Vec<_>>(),
        on_mem.iter().map(Encode::encode).collect::<Vec<_>>()
    );
    // Roots differ from block to block: each block changed the state.
    assert_ne!(on_mem[0].header.state_root, on_mem[1].header.state_root);
}
