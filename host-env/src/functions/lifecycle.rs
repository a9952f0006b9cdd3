//! The contract lifecycle: contracts that create contracts from stored code, and contracts that
//! replace their own code.

use weft_gas::DynamicCosts;
use weft_primitives::{Address, Hash};

use crate::context::{CallStatus, DeployRequest, HostContext};
use crate::error::HostError;
use crate::functions::call::{absorb, start_nested};
use crate::functions::{MAX_REGISTER_BYTES, cost, read_array, read_balance, unsigned, within};

/// `create(code_hash_ptr, salt_ptr, input_ptr, input_len, value_ptr, gas, address_ptr, register)
/// -> i32`: creates a contract from the stored code whose 32-byte hash is at `code_hash_ptr`, at
/// [`Address::for_created`]`(self, code_hash, salt)` (written to `address_ptr` first, whatever
/// the outcome), sending the value (16 bytes, little-endian) and at most `gas` (negative or more
/// than is left: all that is left), and runs its constructor with `input` in a nested frame.
/// Returns a [`CallStatus`] code as `call` does: 0 created (the constructor's return data in
/// `register`), 1 the constructor reverted (revert data in `register`), 2 it failed, 3 refused
/// (call-depth limit, the address already holds a contract, no code stored under the hash, or
/// not enough balance for the value). Nothing of a creation that does not succeed is kept.
#[allow(clippy::too_many_arguments)]
pub fn create(
    ctx: &mut impl HostContext,
    code_hash_ptr: i32,
    salt_ptr: i32,
    input_ptr: i32,
    input_len: i32,
    value_ptr: i32,
    gas: i64,
    address_ptr: i32,
    register: i32,
) -> Result<i32, HostError> {
    let (input_len, code_hash) =
        charge_and_read_code_hash(ctx, |costs| costs.create, input_len, code_hash_ptr)?;
    let salt = read_array::<32>(ctx, salt_ptr).map(Hash)?;
    let input = ctx.read(unsigned(input_ptr), input_len)?;
    let value = read_balance(ctx, value_ptr)?;
    let creator = ctx.state().frame.contract;
    let address = Address::for_created(&creator, &code_hash, &salt);
    ctx.write(unsigned(address_ptr), address.as_bytes())?;
    let Some((frame, gas_limit)) = start_nested(ctx, unsigned(register), address, value, gas, false)? else {
        return Ok(CallStatus::Refused as i32);
    };
    let result = ctx.create(DeployRequest {
        frame,
        code_hash,
        input,
        gas_limit,
    })?;
    absorb(ctx, unsigned(register), result)
}

/// `upgrade(code_hash_ptr, input_ptr, input_len, gas, register) -> i32`: replaces this contract's
/// code by the stored code whose 32-byte hash is at `code_hash_ptr`, its storage and balance
/// kept. The running call goes on with the old code; the next call of the contract runs the new
/// one. If the new code exports `migrate`, it runs at once with `input` in a nested frame (called
/// by the contract itself, with at most `gas`), and the upgrade stands only if it succeeds.
/// Returns 0 upgraded (`migrate`'s return data, if it ran, in `register`), 1 `migrate` reverted
/// (revert data in `register`) and 2 it failed — both leave the old code in place — or 3 refused
/// (call-depth limit, or no code stored under the hash).
pub fn upgrade(
    ctx: &mut impl HostContext,
    code_hash_ptr: i32,
    input_ptr: i32,
    input_len: i32,
    gas: i64,
    register: i32,
) -> Result<i32, HostError> {
    let (input_len, code_hash) =
        charge_and_read_code_hash(ctx, |costs| costs.upgrade, input_len, code_hash_ptr)?;
    let input = ctx.read(unsigned(input_ptr), input_len)?;
    let this = ctx.state().frame.contract;
    let Some((frame, gas_limit)) = start_nested(ctx, unsigned(register), this, 0, gas, false)? else {
        return Ok(CallStatus::Refused as i32);
    };
    let result = ctx.upgrade(DeployRequest {
        frame,
        code_hash,
        input,
        gas_limit,
    })?;
    absorb(ctx, unsigned(register), result)
}

/// The start of `create` and `upgrade`: the input's size checked, the base cost (`base` of the
/// schedule) plus its bytes charged, the 32-byte code hash read.
fn charge_and_read_code_hash(
    ctx: &mut impl HostContext,
    base: fn(&DynamicCosts) -> u64,
    input_len: i32,
    code_hash_ptr: i32,
) -> Result<(u32, Hash), HostError> {
    let input_len = within(
        "constructor or migrate input",
        unsigned(input_len),
        MAX_REGISTER_BYTES,
    )?;
    let costs = &ctx.state().costs;
    let base_cost = cost(base(costs), costs.host_byte, u64::from(input_len));
    ctx.charge(base_cost)?;
    let code_hash = read_array::<32>(ctx, code_hash_ptr).map(Hash)?;
    Ok((input_len, code_hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::{SELF, fake};

    /// Lays out a code hash at 0, a salt at 32, input `in` at 64 and value 5 at 80.
    fn lay_out(f: &mut crate::functions::testing::Fake) {
        f.memory[..32].copy_from_slice(&[0xcd; 32]);
        f.memory[32..64].copy_from_slice(&[0x5a; 32]);
        f.memory[64..66].copy_from_slice(b"in");
        f.memory[80..96].copy_from_slice(&5u128.to_le_bytes());
    }

    #[test]
    fn create_derives_the_address_builds_the_frame_and_pays_the_gas() {
        let mut f = fake(1_000_000);
        lay_out(&mut f);
        let status = create(&mut f, 0, 32, 64, 2, 80, 50_000, 200, 3).unwrap();
        assert_eq!(status, CallStatus::Success as i32);
        let expected = Address::for_created(&SELF, &Hash([0xcd; 32]), &Hash([0x5a; 32]));
        assert_eq!(&f.memory[200..232], expected.as_bytes());
        let request = &f.deploys[0];
        assert_eq!(request.code_hash, Hash([0xcd; 32]));
        assert_eq!(request.input, b"in");
        assert_eq!(request.gas_limit, 50_000);
        assert_eq!(request.frame.contract, expected);
        assert_eq!(request.frame.caller, SELF);
        assert_eq!(request.frame.value, 5);
        assert_eq!(f.state.registers[&3], b"pong");
        assert_eq!(f.state.steps.len(), 1, "the child frame is a step of the trace");
        let costs = &f.state.costs;
        let expected_gas = costs.create + 2 * costs.host_byte + costs.transfer + 1_234;
        assert_eq!(1_000_000 - f.gas, expected_gas as i64);
    }

    #[test]
    fn create_at_the_depth_limit_is_refused_without_running() {
        let mut f = fake(1_000_000);
        lay_out(&mut f);
        f.state.frame.callers = vec![Address([1; 32]); 7];
        assert_eq!(create(&mut f, 0, 32, 64, 2, 80, -1, 200, 3).unwrap(), 3);
        assert!(f.deploys.is_empty());
    }

    #[test]
    fn upgrade_runs_migrate_as_a_self_call_without_value() {
        let mut f = fake(1_000_000);
        lay_out(&mut f);
        f.call_result.status = CallStatus::Reverted;
        assert_eq!(upgrade(&mut f, 0, 64, 2, -1, 4).unwrap(), 1);
        let request = &f.deploys[0];
        assert_eq!(request.frame.contract, SELF);
        assert_eq!(request.frame.caller, SELF);
        assert_eq!(request.frame.value, 0);
        assert_eq!(request.input, b"in");
        assert_eq!(f.state.registers[&4], b"pong", "the revert data");
    }

    #[test]
    fn bad_arguments_trap_before_anything_runs() {
        let mut f = fake(1_000_000);
        lay_out(&mut f);
        assert!(matches!(
            create(&mut f, 4090, 32, 64, 2, 80, -1, 200, 3),
            Err(HostError::MemoryOutOfBounds { .. })
        ));
        assert!(matches!(
            create(&mut f, 0, 32, 64, 2, 80, -1, 4090, 3),
            Err(HostError::MemoryOutOfBounds { .. })
        ));
        assert!(matches!(
            upgrade(&mut f, 0, 64, -1, -1, 3),
            Err(HostError::TooLarge { .. })
        ));
        assert!(f.deploys.is_empty());
    }
}
