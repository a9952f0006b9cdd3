//! Hashes and signature checks: keccak256, sha256, ed25519 verify, secp256k1 recover.
//!
//! Invalid signatures and keys are results (0), never traps: a contract decides what they mean.

use k256::ecdsa::{RecoveryId, Signature as EcdsaSignature, VerifyingKey as EcdsaKey};
use sha2::{Digest, Sha256};

use crate::context::HostContext;
use crate::error::HostError;
use crate::functions::{MAX_REGISTER_BYTES, cost, read_array, unsigned, within};

/// Checks the input length, charges `base + per_byte × len`, and reads the input.
fn charged_input(
    ctx: &mut impl HostContext,
    what: &'static str,
    ptr: i32,
    len: i32,
    base: u64,
    per_byte: u64,
) -> Result<Vec<u8>, HostError> {
    let len = within(what, unsigned(len), MAX_REGISTER_BYTES)?;
    ctx.charge(cost(base, per_byte, u64::from(len)))?;
    ctx.read(unsigned(ptr), len)
}

/// `keccak256(ptr, len, out_ptr)`: writes the 32-byte keccak256 of the input at `out_ptr`.
pub fn keccak256(ctx: &mut impl HostContext, ptr: i32, len: i32, out_ptr: i32) -> Result<(), HostError> {
    let (base, per_byte) = (ctx.state().costs.keccak256, ctx.state().costs.keccak256_byte);
    let data = charged_input(ctx, "keccak256 input", ptr, len, base, per_byte)?;
    ctx.write(unsigned(out_ptr), weft_primitives::keccak256(&data).as_bytes())
}

/// `sha256(ptr, len, out_ptr)`: writes the 32-byte SHA-256 of the input at `out_ptr`.
pub fn sha256(ctx: &mut impl HostContext, ptr: i32, len: i32, out_ptr: i32) -> Result<(), HostError> {
    let (base, per_byte) = (ctx.state().costs.sha256, ctx.state().costs.sha256_byte);
    let data = charged_input(ctx, "sha256 input", ptr, len, base, per_byte)?;
    ctx.write(unsigned(out_ptr), &Sha256::digest(&data))
}

/// `ed25519_verify(signature_ptr, public_key_ptr, message_ptr, message_len) -> i32`: 1 if the
/// 64-byte signature is a valid strict (RFC 8032, no small-order keys, canonical S) signature of
/// the message by the 32-byte key, else 0.
pub fn ed25519_verify(
    ctx: &mut impl HostContext,
    signature_ptr: i32,
    public_key_ptr: i32,
    message_ptr: i32,
    message_len: i32,
) -> Result<i32, HostError> {
    let (base, per_byte) = (
        ctx.state().costs.ed25519_verify,
        ctx.state().costs.ed25519_verify_byte,
    );
    let message = charged_input(ctx, "ed25519 message", message_ptr, message_len, base, per_byte)?;
    let signature = read_array::<64>(ctx, signature_ptr)?;
    let public_key = read_array::<32>(ctx, public_key_ptr)?;
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&public_key) else {
        return Ok(0);
    };
    let signature = ed25519_dalek::Signature::from_bytes(&signature);
    Ok(i32::from(key.verify_strict(&message, &signature).is_ok()))
}

/// `secp256k1_recover(hash_ptr, signature_ptr, recovery_id, out_ptr) -> i32`: recovers the public
/// key that signed the 32-byte prehash with the 64-byte signature `r ‖ s` (low `s`, as EIP-2) and
/// recovery id 0–3; writes it uncompressed without its 0x04 prefix (64 bytes, `x ‖ y`) at `out_ptr`
/// and returns 1, or returns 0 if nothing can be recovered.
pub fn secp256k1_recover(
    ctx: &mut impl HostContext,
    hash_ptr: i32,
    signature_ptr: i32,
    recovery_id: i32,
    out_ptr: i32,
) -> Result<i32, HostError> {
    let gas = ctx.state().costs.secp256k1_recover;
    ctx.charge(gas)?;
    let hash = read_array::<32>(ctx, hash_ptr)?;
    let signature = read_array::<64>(ctx, signature_ptr)?;
    let recovered = u8::try_from(recovery_id)
        .ok()
        .and_then(RecoveryId::from_byte)
        .zip(EcdsaSignature::from_slice(&signature).ok())
        .and_then(|(id, signature)| EcdsaKey::recover_from_prehash(&hash, &signature, id).ok());
    let Some(key) = recovered else {
        return Ok(0);
    };
    let point = key.to_encoded_point(false);
    ctx.write(unsigned(out_ptr), point.as_bytes().get(1..).unwrap_or_default())?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::fake;
    use ed25519_dalek::Signer;

    #[test]
    fn hashes_match_the_reference_crates() {
        let mut f = fake(1 << 30);
        f.memory[..3].copy_from_slice(b"abc");
        keccak256(&mut f, 0, 3, 100).unwrap();
        assert_eq!(&f.memory[100..132], weft_primitives::keccak256(b"abc").as_bytes());
        sha256(&mut f, 0, 3, 200).unwrap();
        assert_eq!(
            hex::encode(&f.memory[200..232]),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let before = f.gas;
        keccak256(&mut f, 0, 3, 100).unwrap();
        let costs = &f.state.costs;
        assert_eq!(
            before - f.gas,
            (costs.keccak256 + 3 * costs.keccak256_byte) as i64
        );
        assert!(matches!(
            keccak256(&mut f, 0, 3, 4090),
            Err(HostError::MemoryOutOfBounds { .. })
        ));
    }

    #[test]
    fn ed25519_accepts_valid_and_refuses_tampered() {
        let mut f = fake(1 << 30);
        let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let signature = key.sign(b"msg");
        f.memory[..64].copy_from_slice(&signature.to_bytes());
        f.memory[64..96].copy_from_slice(key.verifying_key().as_bytes());
        f.memory[96..99].copy_from_slice(b"msg");
        assert_eq!(ed25519_verify(&mut f, 0, 64, 96, 3).unwrap(), 1);
        f.memory[98] = b'x';
        assert_eq!(ed25519_verify(&mut f, 0, 64, 96, 3).unwrap(), 0);
        f.memory[64..96].fill(0xff);
        assert_eq!(
            ed25519_verify(&mut f, 0, 64, 96, 3).unwrap(),
            0,
            "not a curve point"
        );
    }

    #[test]
    fn secp256k1_recovers_the_signer() {
        let mut f = fake(1 << 30);
        let key = k256::ecdsa::SigningKey::from_bytes(&[7u8; 32].into()).unwrap();
        let hash = weft_primitives::keccak256(b"hello");
        let (signature, id) = key.sign_prehash_recoverable(hash.as_bytes()).unwrap();
        f.memory[..32].copy_from_slice(hash.as_bytes());
        f.memory[32..96].copy_from_slice(&signature.to_bytes());
        assert_eq!(
            secp256k1_recover(&mut f, 0, 32, i32::from(id.to_byte()), 200).unwrap(),
            1
        );
        let expected = key.verifying_key().to_encoded_point(false);
        assert_eq!(&f.memory[200..264], &expected.as_bytes()[1..]);
        assert_eq!(
            secp256k1_recover(&mut f, 0, 32, 9, 300).unwrap(),
            0,
            "bad recovery id"
        );
        assert_eq!(
            secp256k1_recover(&mut f, 0, 32, -1, 300).unwrap(),
            0,
            "bad recovery id"
        );
        f.memory[32..96].fill(0);
        assert_eq!(
            secp256k1_recover(&mut f, 0, 32, 0, 300).unwrap(),
            0,
            "zero signature"
        );
        assert!(f.memory[300..364].iter().all(|b| *b == 0));
    }
}
