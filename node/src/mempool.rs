//! The transaction pool: pending transactions by sender and nonce, in arrival order.
//!
//! A transaction is admitted if its nonce is at least its sender's next nonce and at most
//! [`MempoolLimits::max_nonce_ahead`] beyond it (so a sender holds at most that many plus one);
//! one whose nonce is ahead waits ("future") until the gap fills. Duplicates and a second
//! transaction for a taken (sender, nonce) are rejected with a [`TxRejection`].
//!
//! No sender can lock itself out: the transaction that extends its sender's run of consecutive
//! nonces (the one that fills a gap, or the next after the run) is always taken. When the pool is
//! full, it takes the place of the newest future transaction in the pool (of any sender), as geth's
//! pool does; only a pool full of runnable transactions refuses it. A future transaction is
//! refused by a full pool. [`Mempool::ready`] gives the transactions that can run next, oldest
//! first, each sender's in nonce order.

use std::collections::{BTreeMap, HashMap, VecDeque};

use weft_primitives::{Address, Hash, VerifiedTx};

use weft_chain::TxRejection;

/// Bounds of the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MempoolLimits {
    /// Transactions in the pool.
    pub max_transactions: usize,
    /// How far past its sender's next nonce a transaction may be.
    pub max_nonce_ahead: u64,
}

impl Default for MempoolLimits {
    fn default() -> Self {
        Self {
            max_transactions: 10_000,
            max_nonce_ahead: 64,
        }
    }
}

/// A pending transaction and when it arrived.
#[derive(Debug, Clone)]
struct Pending {
    tx: VerifiedTx,
    arrival: u64,
}

/// The pool.
#[derive(Debug, Default)]
pub struct Mempool {
    limits: MempoolLimits,
    by_sender: BTreeMap<Address, BTreeMap<u64, Pending>>,
    hashes: HashMap<Hash, (Address, u64)>,
    arrivals: u64,
}

impl Mempool {
    /// An empty pool with `limits`.
    pub fn new(limits: MempoolLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Transactions in the pool.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Its limits.
    pub fn limits(&self) -> MempoolLimits {
        self.limits
    }

    /// The first nonce of `sender` from `next_nonce` on that no pooled transaction uses.
    pub fn next_free_nonce(&self, sender: &Address, next_nonce: u64) -> u64 {
        let Some(queue) = self.by_sender.get(sender) else {
            return next_nonce;
        };
        let mut nonce = next_nonce;
        while queue.contains_key(&nonce) {
            nonce += 1;
        }
        nonce
    }

    /// Whether the pool holds the transaction with `hash`.
    pub fn contains(&self, hash: &Hash) -> bool {
        self.hashes.contains_key(hash)
    }

    /// Admits `tx`; `next_nonce` gives each sender's next nonce (at the head). Returns the hash, or
    /// why it is refused. A full pool makes room for a transaction that extends its sender's run
    /// by dropping the newest future transaction.
    pub fn insert(
        &mut self,
        tx: VerifiedTx,
        next_nonce: impl Fn(&Address) -> u64,
    ) -> Result<Hash, TxRejection> {
        let hash = tx.hash();
        if self.hashes.contains_key(&hash) {
            return Err(TxRejection::Duplicate(hash));
        }
        let sender = tx.sender();
        let nonce = tx.signed().tx.nonce;
        let expected = next_nonce(&sender);
        if nonce < expected {
            return Err(TxRejection::NonceTooLow { expected, got: nonce });
        }
        if nonce - expected > self.limits.max_nonce_ahead {
            return Err(TxRejection::NonceTooHigh {
                expected,
                got: nonce,
                max_ahead: self.limits.max_nonce_ahead,
            });
        }
        if self
            .by_sender
            .get(&sender)
            .is_some_and(|q| q.contains_key(&nonce))
        {
            return Err(TxRejection::NonceTaken(nonce));
        }
        if self.hashes.len() >= self.limits.max_transactions {
            let extends_run = nonce == self.next_free_nonce(&sender, expected);
            let evicted = extends_run.then(|| self.newest_future(&next_nonce)).flatten();
            match evicted {
                Some(evicted) => {
                    tracing::debug!(tx = %evicted, "the pool is full: a future transaction makes room for a runnable one");
                    self.remove(&evicted);
                }
                None => return Err(TxRejection::PoolFull(self.limits.max_transactions)),
            }
        }
        self.arrivals += 1;
        let pending = Pending {
            tx,
            arrival: self.arrivals,
        };
        self.by_sender.entry(sender).or_default().insert(nonce, pending);
        self.hashes.insert(hash, (sender, nonce));
        Ok(hash)
    }

    /// The newest transaction that cannot run yet (its sender's nonces have a gap before it).
    fn newest_future(&self, next_nonce: &impl Fn(&Address) -> u64) -> Option<Hash> {
        self.by_sender
            .iter()
            .flat_map(|(sender, queue)| {
                let run_end = self.next_free_nonce(sender, next_nonce(sender));
                queue.range(run_end..).map(|(_, pending)| pending)
            })
            .max_by_key(|pending| pending.arrival)
            .map(|pending| pending.tx.hash())
    }

    /// The transactions that can run next given each sender's next nonce (`next_nonce`), oldest
    /// arrival first among senders and in nonce order within one, up to `max` of them.
    pub fn ready(&self, next_nonce: impl Fn(&Address) -> u64, max: usize) -> Vec<VerifiedTx> {
        // Each sender's run of consecutive nonces from its next one.
        let mut runs: Vec<VecDeque<&Pending>> = Vec::new();
        for (sender, queue) in &self.by_sender {
            let start = next_nonce(sender);
            let run: VecDeque<&Pending> = queue
                .range(start..)
                .zip(start..)
                .take_while(|((nonce, _), expected)| *nonce == expected)
                .map(|((_, pending), _)| pending)
                .collect();
            if !run.is_empty() {
                runs.push(run);
            }
        }
        let mut out = Vec::new();
        while out.len() < max {
            let Some(next) = runs
                .iter_mut()
                .filter(|run| !run.is_empty())
                .min_by_key(|run| run.front().map_or(u64::MAX, |p| p.arrival))
            else {
                break;
            };
            if let Some(pending) = next.pop_front() {
                out.push(pending.tx.clone());
            }
        }
        out
    }

    /// Drops what a new head made stale: transactions of `sender`s below their `next_nonce`.
    pub fn prune(&mut self, next_nonce: impl Fn(&Address) -> u64) {
        let hashes = &mut self.hashes;
        self.by_sender.retain(|sender, queue| {
            let keep = queue.split_off(&next_nonce(sender));
            for pending in queue.values() {
                hashes.remove(&pending.tx.hash());
            }
            *queue = keep;
            !queue.is_empty()
        });
    }

    /// Removes the transaction with `hash` (e.g. one a block rejected).
    pub fn remove(&mut self, hash: &Hash) {
        if let Some((sender, nonce)) = self.hashes.remove(hash)
            && let Some(queue) = self.by_sender.get_mut(&sender)
        {
            queue.remove(&nonce);
            if queue.is_empty() {
                self.by_sender.remove(&sender);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_primitives::{Action, SigningKey, Transaction};

    fn tx(key: u8, nonce: u64) -> VerifiedTx {
        let key = SigningKey::from_bytes(&[key; 32]);
        let signed = Transaction {
            chain_id: 1,
            signer: Transaction::signer_of(&key),
            nonce,
            gas_limit: 100_000,
            gas_price: 1,
            value: 0,
            action: Action::Transfer { to: Address::ZERO },
        }
        .sign(&key);
        VerifiedTx::verify(signed, 1).unwrap()
    }

    #[test]
    fn ready_follows_nonces_and_arrival() {
        let mut pool = Mempool::new(MempoolLimits::default());
        pool.insert(tx(1, 1), |_| 0).unwrap(); // future until nonce 0 arrives
        pool.insert(tx(2, 0), |_| 0).unwrap();
        pool.insert(tx(1, 0), |_| 0).unwrap();
        let ready = pool.ready(|_| 0, 10);
        let order: Vec<_> = ready.iter().map(|t| (t.sender(), t.signed().tx.nonce)).collect();
        let (a, b) = (tx(1, 0).sender(), tx(2, 0).sender());
        // Sender 1's run starts with its nonce-0 tx, which arrived third; sender 2's arrived second.
        assert_eq!(order, vec![(b, 0), (a, 0), (a, 1)]);
        assert_eq!(pool.ready(|_| 0, 1).len(), 1);
    }

    #[test]
    fn rejections_are_typed() {
        let limits = MempoolLimits {
            max_transactions: 3,
            max_nonce_ahead: 5,
        };
        let mut pool = Mempool::new(limits);
        pool.insert(tx(1, 3), |_| 3).unwrap();
        assert!(matches!(
            pool.insert(tx(1, 3), |_| 3),
            Err(TxRejection::Duplicate(_))
        ));
        assert!(matches!(
            pool.insert(tx(1, 2), |_| 3),
            Err(TxRejection::NonceTooLow { .. })
        ));
        assert!(matches!(
            pool.insert(tx(1, 9), |_| 3),
            Err(TxRejection::NonceTooHigh { .. })
        ));
        pool.insert(tx(1, 5), |_| 3).unwrap(); // future: 4 is missing
        pool.insert(tx(2, 0), |_| 0).unwrap();
        assert!(
            matches!(pool.insert(tx(3, 1), |_| 0), Err(TxRejection::PoolFull(3))),
            "a future transaction is refused by a full pool"
        );
        assert_eq!(pool.len(), 3);
    }

    #[test]
    fn a_full_sender_queue_still_takes_the_transaction_that_fills_its_gap() {
        let mut pool = Mempool::new(MempoolLimits::default());
        let ahead = pool.limits().max_nonce_ahead;
        for nonce in 1..=ahead {
            pool.insert(tx(1, nonce), |_| 0).unwrap();
        }
        assert!(pool.ready(|_| 0, usize::MAX).is_empty(), "all wait for nonce 0");
        pool.insert(tx(1, 0), |_| 0).unwrap();
        assert_eq!(
            pool.ready(|_| 0, usize::MAX).len() as u64,
            ahead + 1,
            "the whole queue runs"
        );
    }

    #[test]
    fn a_full_pool_drops_its_newest_future_transaction_for_a_runnable_one() {
        let limits = MempoolLimits {
            max_transactions: 4,
            max_nonce_ahead: 8,
        };
        let mut pool = Mempool::new(limits);
        pool.insert(tx(1, 0), |_| 0).unwrap();
        pool.insert(tx(2, 2), |_| 0).unwrap(); // future
        pool.insert(tx(3, 5), |_| 0).unwrap(); // future, the newest
        pool.insert(tx(1, 1), |_| 0).unwrap();
        // Sender 2 fills its gap in a full pool: sender 3's future transaction goes.
        pool.insert(tx(2, 0), |_| 0).unwrap();
        assert!(!pool.contains(&tx(3, 5).hash()));
        assert!(pool.contains(&tx(2, 2).hash()));
        // Sender 4's first transaction takes sender 2's nonce 2, still future (1 is missing).
        pool.insert(tx(4, 0), |_| 0).unwrap();
        assert!(!pool.contains(&tx(2, 2).hash()));
        assert_eq!(pool.len(), 4);
        // Now every transaction can run: the pool is full for anyone.
        assert!(matches!(
            pool.insert(tx(5, 0), |_| 0),
            Err(TxRejection::PoolFull(4))
        ));
        assert_eq!(pool.ready(|_| 0, usize::MAX).len(), 4);
    }

    #[test]
    fn prune_and_remove() {
        let mut pool = Mempool::new(MempoolLimits::default());
        for nonce in 0..4 {
            pool.insert(tx(1, nonce), |_| 0).unwrap();
        }
        pool.prune(|_| 2);
        assert_eq!(pool.len(), 2);
        assert!(!pool.contains(&tx(1, 1).hash()));
        pool.remove(&tx(1, 2).hash());
        assert_eq!(pool.ready(|_| 2, 10).len(), 0, "nonce 2 is gone, 3 waits");
        pool.remove(&tx(1, 3).hash());
        assert!(pool.is_empty());
    }
}
