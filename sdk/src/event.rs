//! Events: typed structs with indexed topics, usually derived with `#[derive(Event)]`.

use parity_scale_codec::Encode;

use crate::types::{Address, Hash};

/// An event a contract emits. `#[derive(Event)]` implements it: topic 0 is
/// `keccak256(SIGNATURE)`, then one topic per `#[topic]` field, and the other fields, SCALE-encoded
/// in order, are the event's data.
pub trait Event {
    /// `Name(Type1,Type2,..)`, every field's type as written.
    const SIGNATURE: &'static str;
    /// `keccak256(SIGNATURE)`, computed at compile time.
    const TOPIC: Hash;

    /// Emits the event (kept only if the call succeeds).
    fn emit(&self);
}

/// A value usable as an indexed event field: its 32-byte topic.
///
/// Addresses and hashes are their own topic; integers and `bool` are their SCALE (little-endian)
/// bytes followed by zeros, so a filter can match an exact value.
pub trait Topic {
    /// The topic of this value.
    fn to_topic(&self) -> Hash;
}

impl Topic for Address {
    fn to_topic(&self) -> Hash {
        Hash(self.0)
    }
}

impl Topic for Hash {
    fn to_topic(&self) -> Hash {
        *self
    }
}

macro_rules! padded_topic {
    ($($ty:ty),*) => {$(
        impl Topic for $ty {
            fn to_topic(&self) -> Hash {
                let mut topic = [0u8; 32];
                self.using_encoded(|bytes| topic[..bytes.len()].copy_from_slice(bytes));
                Hash(topic)
            }
        }
    )*};
}

padded_topic!(bool, u8, u16, u32, u64, u128, i8, i16, i32, i64, i128);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_little_endian_and_zero_padded() {
        let topic = 0x0102u16.to_topic();
        assert_eq!(&topic.0[..3], &[2, 1, 0]);
        assert_eq!(topic.0[3..], [0u8; 29]);
        assert_eq!(true.to_topic().0[0], 1);
        assert_eq!((-1i128).to_topic().0[..16], [0xff; 16]);
        let address = Address([7; 32]);
        assert_eq!(address.to_topic(), Hash([7; 32]));
    }
}
