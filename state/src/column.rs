//! The typed column families of the store.

/// A column family. Keys of different columns never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// Account records (nonce, balance, code hash) by address.
    Accounts,
    /// Contract code by code hash.
    Code,
    /// Compiled module artifacts by (code hash, schedule hash, engine version). A node-local cache.
    Artifacts,
    /// Contract storage by (contract address, key).
    Storage,
    /// Blocks by height and hash.
    Blocks,
    /// Transactions by hash.
    Txs,
    /// Receipts by transaction hash.
    Receipts,
    /// Event index for queries.
    Events,
    /// Chain metadata: head pointer, state commitment, schema version.
    Meta,
    /// The state's history: the value each state key had before each height changed it (see
    /// [`crate::history`]), for reads at past blocks.
    History,
    /// Execution traces by transaction hash: what a transaction wrote for people (trap messages,
    /// debug logs), beside its receipt and outside consensus data.
    Traces,
}

impl Column {
    /// Every column, in id order.
    pub const ALL: [Column; 11] = [
        Column::Accounts,
        Column::Code,
        Column::Artifacts,
        Column::Storage,
        Column::Blocks,
        Column::Txs,
        Column::Receipts,
        Column::Events,
        Column::Meta,
        Column::History,
        Column::Traces,
    ];

    /// A stable small integer for this column; part of the state commitment's input.
    pub const fn id(self) -> u8 {
        self as u8
    }

    /// The RocksDB column family name.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Accounts => "accounts",
            Column::Code => "code",
            Column::Artifacts => "artifacts",
            Column::Storage => "storage",
            Column::Blocks => "blocks",
            Column::Txs => "txs",
            Column::Receipts => "receipts",
            Column::Events => "events",
            Column::Meta => "meta",
            Column::History => "history",
            Column::Traces => "traces",
        }
    }

    /// Whether this column is part of consensus state, and so of the state root. Chain data
    /// (blocks, receipts, indexes), node-local caches (artifacts) and metadata are not.
    pub const fn is_state(self) -> bool {
        matches!(self, Column::Accounts | Column::Code | Column::Storage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_all_and_names_are_unique() {
        for (i, col) in Column::ALL.iter().enumerate() {
            assert_eq!(usize::from(col.id()), i);
        }
        let mut names: Vec<_> = Column::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Column::ALL.len());
    }
}
