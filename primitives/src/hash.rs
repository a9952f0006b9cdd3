//! keccak256 and the binary Merkle root used for block transaction and receipt roots.

use sha3::{Digest, Keccak256};

use crate::Hash;

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> Hash {
    Hash(Keccak256::digest(data).into())
}

/// keccak256 of the concatenation of `parts`, without allocating the concatenation.
pub fn keccak256_concat(parts: &[&[u8]]) -> Hash {
    let mut hasher = Keccak256::new();
    for part in parts {
        hasher.update(part);
    }
    Hash(hasher.finalize().into())
}

/// Leaf and node tags keep a leaf from ever being read as an inner node (second-preimage safety).
const LEAF_TAG: &[u8] = &[0x00];
const NODE_TAG: &[u8] = &[0x01];

/// Root of a binary Merkle tree over `leaves` (already hashed items, in order).
///
/// Leaves are tagged `keccak256(0x00 ‖ leaf)`, inner nodes `keccak256(0x01 ‖ left ‖ right)`; an odd
/// node at the end of a level is carried up unchanged. The root of no leaves is [`Hash::ZERO`].
pub fn merkle_root(leaves: &[Hash]) -> Hash {
    let mut level: Vec<Hash> = leaves
        .iter()
        .map(|l| keccak256_concat(&[LEAF_TAG, &l.0]))
        .collect();
    if level.is_empty() {
        return Hash::ZERO;
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => keccak256_concat(&[NODE_TAG, &left.0, &right.0]),
                [single] => *single,
                _ => unreachable!("chunks(2) yields one or two items"),
            })
            .collect();
    }
    level[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keccak_known_vector() {
        // keccak256("") from the Keccak reference.
        assert_eq!(
            keccak256(b"").to_string(),
            "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
        assert_eq!(keccak256(b"abc"), keccak256_concat(&[b"a", b"bc"]));
    }

    #[test]
    fn merkle_root_shape() {
        let a = keccak256(b"a");
        let b = keccak256(b"b");
        let c = keccak256(b"c");
        assert_eq!(merkle_root(&[]), Hash::ZERO);
        assert_eq!(merkle_root(&[a]), keccak256_concat(&[&[0], &a.0]));
        let ab = keccak256_concat(&[&[1], &merkle_root(&[a]).0, &merkle_root(&[b]).0]);
        assert_eq!(merkle_root(&[a, b]), ab);
        assert_eq!(
            merkle_root(&[a, b, c]),
            keccak256_concat(&[&[1], &ab.0, &merkle_root(&[c]).0])
        );
        assert_ne!(merkle_root(&[a, b]), merkle_root(&[b, a]));
    }
}
