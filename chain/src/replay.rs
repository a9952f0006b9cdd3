//! [`Chain::replay_into`]: every block re-executed on a fresh store through the strict path a
//! proposed block takes ([`Chain::verify_block`]), and each receipt compared byte for byte.

use weft_state::SharedStore;
use weft_vm::Vm;

use crate::chain::Chain;
use crate::error::ChainError;

impl Chain {
    /// Re-executes every block of `self` on a fresh chain in `target` (opened with the same
    /// genesis and `vm`) and checks that each reproduces its header and receipts byte for byte.
    /// Returns the number of blocks replayed.
    pub fn replay_into(&self, target: SharedStore, vm: Vm) -> Result<u64, ChainError> {
        let mut fresh = Chain::open(target, vm, self.genesis.clone())?;
        let genesis_block = self
            .block(0)?
            .ok_or_else(|| ChainError::Corrupt("no block 0".into()))?;
        if fresh.head != genesis_block.header {
            return Err(ChainError::ReplayDiverged {
                height: 0,
                what: "genesis header".into(),
            });
        }
        for height in 1..=self.head.height {
            let block = self
                .block(height)?
                .ok_or_else(|| ChainError::Corrupt(format!("no block at height {height}")))?;
            let pending = fresh
                .verify_block(&block)?
                .map_err(|invalid| ChainError::ReplayDiverged {
                    height,
                    what: invalid.to_string(),
                })?;
            for (tx, receipt) in block.transactions.iter().zip(&pending.produced().receipts) {
                if self.receipt(&tx.hash())?.as_ref() != Some(receipt) {
                    return Err(ChainError::ReplayDiverged {
                        height,
                        what: format!("receipt of {}", tx.hash()),
                    });
                }
            }
            fresh.commit(pending)?;
        }
        Ok(self.head.height)
    }
}
