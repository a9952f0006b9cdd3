//! One conformance suite for every [`KvStore`]: `MemStore` and `RocksStore` must give identical
//! reads, identical iteration and identical state roots for the same random operation sequences,
//! and both must agree with a plain model of the intended semantics (including nested checkpoints).

// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use weft_primitives::Hash;
use weft_state::{Checkpoint, Column, Durability, KvStore, MemStore, Overlay, RocksStore, StateCommitment};

/// Columns the random operations touch: state and non-state ones.
const COLUMNS: [Column; 4] = [Column::Accounts, Column::Storage, Column::Code, Column::Receipts];

#[derive(Debug, Clone)]
enum Op {
    Put(Column, Vec<u8>, Vec<u8>),
    Delete(Column, Vec<u8>),
    Checkpoint,
    /// Revert to the checkpoint at this index (modulo the open checkpoints).
    Revert(usize),
    Commit,
}

fn op() -> impl Strategy<Value = Op> {
    // A small key alphabet so that keys collide and prefix one another.
    let col = proptest::sample::select(COLUMNS.to_vec());
    let key = proptest::collection::vec(0u8..4, 0..4);
    let value = proptest::collection::vec(any::<u8>(), 0..8);
    prop_oneof![
        6 => (col.clone(), key.clone(), value).prop_map(|(c, k, v)| Op::Put(c, k, v)),
        3 => (col, key).prop_map(|(c, k)| Op::Delete(c, k)),
        2 => Just(Op::Checkpoint),
        2 => any::<usize>().prop_map(Op::Revert),
        1 => Just(Op::Commit),
    ]
}

type View = BTreeMap<(Column, Vec<u8>), Vec<u8>>;

/// Everything a run observed, compared across stores.
#[derive(Debug, PartialEq, Eq)]
struct Trace {
    views: Vec<View>,
    roots: Vec<Hash>,
}

fn overlay_view<S: KvStore>(overlay: &Overlay<S>) -> View {
    let mut view = View::new();
    for col in COLUMNS {
        for (k, v) in overlay.iter_prefix(col, &[]).unwrap() {
            // Point reads must agree with iteration.
            assert_eq!(overlay.get(col, &k).unwrap().as_ref(), Some(&v));
            view.insert((col, k), v);
        }
    }
    view
}

fn store_view(store: &dyn KvStore) -> View {
    let mut view = View::new();
    for col in COLUMNS {
        for pair in store.iter_prefix(col, &[]) {
            let (k, v) = pair.unwrap();
            view.insert((col, k), v);
        }
    }
    view
}

/// Root of `view` built from scratch, in reverse key order, in one commit.
fn root_from_scratch(view: &View) -> Hash {
    let store = MemStore::new();
    let mut overlay = Overlay::new(&store);
    for ((col, k), v) in view.iter().rev() {
        overlay.put(*col, k, v.clone());
    }
    overlay.commit().unwrap().root
}

/// Runs `ops` on `store`, checking each step against the model, and returns what it observed.
fn run(store: &dyn KvStore, ops: &[Op]) -> Trace {
    let mut model = View::new();
    let mut model_checkpoints: Vec<View> = Vec::new();
    let mut checkpoints: Vec<Checkpoint> = Vec::new();
    let mut overlay = Overlay::new(store);
    let mut trace = Trace {
        views: Vec::new(),
        roots: Vec::new(),
    };
    for op in ops.iter().cloned().chain([Op::Commit]) {
        match op.clone() {
            Op::Put(col, k, v) => {
                overlay.put(col, &k, v.clone());
                model.insert((col, k), v);
            }
            Op::Delete(col, k) => {
                overlay.delete(col, &k);
                model.remove(&(col, k));
            }
            Op::Checkpoint => {
                checkpoints.push(overlay.checkpoint());
                model_checkpoints.push(model.clone());
            }
            Op::Revert(i) => {
                if !checkpoints.is_empty() {
                    let i = i % checkpoints.len();
                    overlay.revert_to(checkpoints[i]);
                    model = model_checkpoints[i].clone();
                    checkpoints.truncate(i + 1);
                    model_checkpoints.truncate(i + 1);
                }
            }
            Op::Commit => {
                let commit = overlay.commit().unwrap();
                store.write(&commit.batch, Durability::Buffered).unwrap();
                assert_eq!(store_view(store), model, "committed store differs from the model");
                assert_eq!(commit.root, StateCommitment::load(store).unwrap().root());
                assert_eq!(commit.root, StateCommitment::recompute(store).unwrap().root());
                assert_eq!(
                    commit.root,
                    root_from_scratch(
                        &model
                            .clone()
                            .into_iter()
                            .filter(|((c, _), _)| c.is_state())
                            .collect()
                    )
                );
                trace.roots.push(commit.root);
                overlay = Overlay::new(store);
                checkpoints.clear();
                model_checkpoints.clear();
            }
        }
        let view = overlay_view(&overlay);
        assert_eq!(view, model, "overlay view differs from the model after {op:?}");
        trace.views.push(view);
    }
    trace
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mem_store_and_rocks_store_are_indistinguishable(ops in proptest::collection::vec(op(), 0..60)) {
        let mem = MemStore::new();
        let dir = tempfile::tempdir().unwrap();
        let rocks = RocksStore::open(dir.path()).unwrap();
        let mem_trace = run(&mem, &ops);
        let rocks_trace = run(&rocks, &ops);
        prop_assert_eq!(mem_trace, rocks_trace);
    }
}

#[test]
fn prefix_iteration_is_bounded_and_ordered() {
    let dir = tempfile::tempdir().unwrap();
    let rocks = RocksStore::open(dir.path()).unwrap();
    let mem = MemStore::new();
    for store in [&rocks as &dyn KvStore, &mem] {
        let mut batch = weft_state::WriteBatch::new();
        for key in [&b"a"[..], b"ab", b"abc", b"ac", b"b", b"\xff", b"\xff\xff"] {
            batch.put(Column::Storage, key.to_vec(), key.to_vec());
        }
        batch.put(Column::Code, b"ab".to_vec(), b"other".to_vec());
        store.write(&batch, Durability::Sync).unwrap();
        let keys = |prefix: &[u8]| -> Vec<Vec<u8>> {
            store
                .iter_prefix(Column::Storage, prefix)
                .map(|p| p.unwrap().0)
                .collect()
        };
        assert_eq!(keys(b"ab"), vec![b"ab".to_vec(), b"abc".to_vec()]);
        assert_eq!(keys(b"a").len(), 4);
        assert_eq!(keys(b"\xff"), vec![b"\xff".to_vec(), b"\xff\xff".to_vec()]);
        assert_eq!(keys(b"z"), Vec::<Vec<u8>>::new());
        assert_eq!(keys(b"").len(), 7);
    }
}
