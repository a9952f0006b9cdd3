//! The frame of the contract lifecycle: a contract created from stored code (a deploy, an
//! instantiate transaction, a contract's `create`) and a contract's code replaced (`upgrade`,
//! with the new code's `migrate`). Each is all or nothing: a checkpoint before, reverted unless
//! the constructor or migration succeeds.

use std::sync::Arc;

use weft_host::{BlockContext, CallRequest, DeployRequest, World};
use weft_primitives::{CallTrace, FrameKind, Hash};

use crate::compiled::{CONSTRUCTOR, CompiledContract, MIGRATE};
use crate::error::VmFault;
use crate::frame::{FrameRun, frame_trace, run_frame};
use crate::shared::Shared;

/// What a lifecycle frame does once the checks passed.
enum Next {
    /// Run the constructor or migration.
    Run,
    /// The code has none: move the value (if any) and succeed.
    Nothing,
}

/// Puts the stored code `request.code_hash` on `request.frame.contract` and runs its entry for
/// `kind`, all or nothing:
/// - [`FrameKind::Deploy`] (a transaction) and [`FrameKind::Create`] (a contract's `create`):
///   refused if the address holds a contract; the constructor runs if the code has one, else only
///   the value moves;
/// - [`FrameKind::Migrate`] (a contract's `upgrade` of its own code): the new code's `migrate`
///   runs if it has one.
///
/// Refused if no such code is stored; undone unless the constructor or migration succeeds.
pub(crate) fn deploy_frame(
    shared: &Arc<Shared>,
    mut world: World,
    block: BlockContext,
    request: DeployRequest,
    kind: FrameKind,
) -> (World, Result<FrameRun, VmFault>) {
    let checkpoint = world.checkpoint();
    let entry = if kind == FrameKind::Migrate {
        MIGRATE
    } else {
        CONSTRUCTOR
    };
    let call = CallRequest {
        frame: request.frame,
        entry: entry.into(),
        input: request.input,
        gas_limit: request.gas_limit,
    };
    let trace = frame_trace(&call, kind);
    let address = call.frame.contract;
    let next = (|| {
        let mut account = world.account(&address)?;
        if kind != FrameKind::Migrate && account.is_contract() {
            return Ok(Err(format!("address {address} already holds a contract")));
        }
        let contract = match stored_code(shared, &world, &request.code_hash)? {
            Ok(contract) => contract,
            Err(reason) => return Ok(Err(reason)),
        };
        account.code_hash = Some(request.code_hash);
        world.set_account(&address, &account);
        Ok(Ok(Next::of(&contract, entry)))
    })();
    let (mut world, run) = finish(shared, world, block, call, trace, next);
    if !matches!(&run, Ok(run) if run.outcome.is_success()) {
        world.revert_to(checkpoint);
    }
    (world, run)
}

impl Next {
    /// [`Next::Run`] if `contract` exports `entry`.
    fn of(contract: &CompiledContract, entry: &str) -> Self {
        if contract.has_entry(entry) {
            Self::Run
        } else {
            Self::Nothing
        }
    }
}

/// The compiled module of the stored code `code_hash`: `Ok(Err(reason))` if no such code is
/// stored or it no longer deploys.
fn stored_code(
    shared: &Shared,
    world: &World,
    code_hash: &Hash,
) -> Result<Result<CompiledContract, String>, VmFault> {
    if world.code(code_hash)?.is_none() {
        return Ok(Err(format!("no code is stored under {code_hash}")));
    }
    Ok(shared
        .load(code_hash, world)?
        .map_err(|error| format!("the stored code no longer deploys: {error}")))
}

/// Runs what the checks decided: the frame, a bare value transfer, or the refusal — also of
/// arguments given to code without the constructor (or `migrate`) to take them, which would
/// otherwise be dropped without a word.
fn finish(
    shared: &Arc<Shared>,
    mut world: World,
    block: BlockContext,
    call: CallRequest,
    trace: CallTrace,
    next: Result<Result<Next, String>, VmFault>,
) -> (World, Result<FrameRun, VmFault>) {
    match next {
        Err(fault) => (world, Err(fault)),
        Ok(Err(reason)) => (world, Ok(FrameRun::refused(trace, reason))),
        Ok(Ok(Next::Run)) => run_frame(shared, world, block, call, trace.kind),
        Ok(Ok(Next::Nothing)) if !call.input.is_empty() => {
            let reason = format!(
                "the code has no `{}` export to take the {} bytes of arguments given",
                call.entry,
                call.input.len()
            );
            (world, Ok(FrameRun::refused(trace, reason)))
        }
        Ok(Ok(Next::Nothing)) => {
            let frame = &call.frame;
            match world.transfer(&frame.caller, &frame.contract, frame.value) {
                Err(error) => (world, Err(error.into())),
                Ok(true) => (world, Ok(FrameRun::empty_success(trace))),
                Ok(false) => {
                    let reason = format!("{} cannot pay the value {}", frame.caller, frame.value);
                    (world, Ok(FrameRun::refused(trace, reason)))
                }
            }
        }
    }
}
