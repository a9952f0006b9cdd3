//! The executor: checks a transaction against the state, buys its gas, runs its action (a
//! transfer, a call, a deploy, an upload of code, an instantiation of stored code) through the
//! VM, refunds unused gas and writes the receipt.
//!
//! Fees are **burned**: the sender pays `gas_used × gas_price`, and nobody receives it (the devnet
//! has no validators to pay). The nonce increments and the fee is paid even when execution fails;
//! everything else of a failed transaction (value included) is undone by the VM's frame.

use parity_scale_codec::Encode;
use weft_gas::GasSchedule;
use weft_primitives::{
    Action, Address, Balance, ExecStatus, Gas, Receipt, SignedTransaction, Trace, VerifiedTx,
};
use weft_vm::{BlockContext, CallRequest, Frame, MAX_REGISTER_BYTES, Outcome, Vm, World};

use crate::error::{ChainError, TxRejection};

/// The largest encoded transaction accepted (code included): 2.5 MiB, above the 2 MiB code limit.
pub const MAX_TX_BYTES: usize = 5 << 19;

/// Below this many transactions per thread, [`Executor::verify_all`] checks on the
/// calling thread: a thread costs about as much as a few signature checks.
const MIN_CHECKS_PER_THREAD: usize = 16;

/// A transaction the verification refused, with why.
pub type Refused = Box<(SignedTransaction, TxRejection)>;

/// A verified transaction that passed [`Executor::check_stateless`]: what [`Executor::apply`]
/// takes.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a>(&'a VerifiedTx);

/// Runs transactions against a [`World`].
#[derive(Debug, Clone)]
pub struct Executor {
    vm: Vm,
    chain_id: u64,
    block_gas_limit: Gas,
}

impl Executor {
    /// An executor for chain `chain_id` on `vm`.
    pub fn new(vm: Vm, chain_id: u64, block_gas_limit: Gas) -> Self {
        Self {
            vm,
            chain_id,
            block_gas_limit,
        }
    }

    /// The VM.
    pub fn vm(&self) -> &Vm {
        &self.vm
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The block gas limit.
    pub fn block_gas_limit(&self) -> Gas {
        self.block_gas_limit
    }

    fn schedule(&self) -> &GasSchedule {
        self.vm.schedule()
    }

    /// The intrinsic gas of `tx`: the base cost plus its encoded bytes.
    pub fn intrinsic_gas(&self, tx: &SignedTransaction) -> Gas {
        self.intrinsic_gas_of_size(tx.encoded_size())
    }

    /// The intrinsic gas of a transaction of `bytes` encoded bytes.
    pub(crate) fn intrinsic_gas_of_size(&self, bytes: usize) -> Gas {
        let costs = &self.schedule().dynamic;
        let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
        costs.tx_base.saturating_add(costs.tx_byte.saturating_mul(bytes))
    }

    /// The signature and chain id of `signed`, checked once: a [`VerifiedTx`] carries its hash,
    /// sender and size from here to the commit. On failure it comes back with why.
    pub fn verify(&self, signed: SignedTransaction) -> Result<VerifiedTx, Refused> {
        VerifiedTx::verify(signed, self.chain_id).map_err(|refused| {
            let (signed, error) = *refused;
            Box::new((signed, error.into()))
        })
    }

    /// [`Self::verify`] of every transaction, in order, spread over the machine's cores (ed25519
    /// verification is the largest cost of a block of transfers). The results are those of
    /// verifying one after another: each depends on its transaction alone.
    pub fn verify_all(&self, txs: Vec<SignedTransaction>) -> Vec<Result<VerifiedTx, Refused>> {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let per_thread = txs.len().div_ceil(threads).max(MIN_CHECKS_PER_THREAD);
        if per_thread >= txs.len() {
            return txs.into_iter().map(|tx| self.verify(tx)).collect();
        }
        let mut chunks = Vec::with_capacity(threads);
        let mut rest = txs;
        while rest.len() > per_thread {
            let tail = rest.split_off(per_thread);
            chunks.push(rest);
            rest = tail;
        }
        chunks.push(rest);
        std::thread::scope(|scope| {
            let workers: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    scope.spawn(move || chunk.into_iter().map(|tx| self.verify(tx)).collect::<Vec<_>>())
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| match worker.join() {
                    Ok(results) => results,
                    // A check does not panic; if one did, the panic goes on here, as if sequential.
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    }

    /// The checks of a verified transaction that need no state: size, input size, no value on an
    /// upload, intrinsic gas, block gas limit.
    pub fn check_stateless<'a>(&self, tx: &'a VerifiedTx) -> Result<Checked<'a>, TxRejection> {
        let size = tx.size();
        if size > MAX_TX_BYTES {
            return Err(TxRejection::TooLarge {
                size,
                limit: MAX_TX_BYTES,
            });
        }
        let action = &tx.signed().tx.action;
        if matches!(action, Action::Upload { .. }) && tx.signed().tx.value != 0 {
            return Err(TxRejection::Malformed("an upload carries no value".into()));
        }
        let input = action.input().len();
        let input_limit = MAX_REGISTER_BYTES as usize;
        if input > input_limit {
            return Err(TxRejection::InputTooLarge {
                size: input,
                limit: input_limit,
            });
        }
        let limit = tx.signed().tx.gas_limit;
        let required = self.intrinsic_gas_of_size(size);
        if limit < required {
            return Err(TxRejection::IntrinsicGas { limit, required });
        }
        if limit > self.block_gas_limit {
            return Err(TxRejection::GasLimitAboveBlock {
                limit,
                block_limit: self.block_gas_limit,
            });
        }
        Ok(Checked(tx))
    }

    /// Compiles the code of a deploy or upload unless the VM's cache holds it (nothing for other
    /// actions), so that its execution finds it compiled; refuses code that cannot be deployed. A
    /// pool calls this outside its lock: compiling a large module takes long.
    pub fn precompile(&self, tx: &VerifiedTx) -> Result<(), TxRejection> {
        match &tx.signed().tx.action {
            Action::Deploy { code, .. } | Action::Upload { code } => {
                self.vm.precompile(code).map_err(TxRejection::InvalidCode)
            }
            Action::Call { .. } | Action::Transfer { .. } | Action::Instantiate { .. } => Ok(()),
        }
    }

    /// What `tx` may cost its sender: value + gas limit × gas price.
    pub fn max_cost(tx: &SignedTransaction) -> Result<Balance, TxRejection> {
        let t = &tx.tx;
        Balance::from(t.gas_limit)
            .checked_mul(t.gas_price)
            .and_then(|fee| fee.checked_add(t.value))
            .ok_or(TxRejection::CostOverflow)
    }

    /// Applies `tx`, which passed the stateless checks, to `world`: `Ok(Err(_))` if it is rejected
    /// (and `world` is untouched), else its receipt (whose `first_log_index` the block sets) and
    /// the trace beside it. `Err` only for node faults.
    pub fn apply(
        &self,
        world: &mut World,
        block: BlockContext,
        Checked(verified): Checked<'_>,
    ) -> Result<Result<(Receipt, Trace), TxRejection>, ChainError> {
        let tx = verified.signed();
        let t = &tx.tx;
        let sender = verified.sender();
        let mut account = world.account(&sender)?;
        if t.nonce != account.nonce {
            let rejection = if t.nonce < account.nonce {
                TxRejection::NonceTooLow {
                    expected: account.nonce,
                    got: t.nonce,
                }
            } else {
                TxRejection::NonceTooHigh {
                    expected: account.nonce,
                    got: t.nonce,
                    max_ahead: 0,
                }
            };
            return Ok(Err(rejection));
        }
        let required = match Self::max_cost(tx) {
            Ok(required) => required,
            Err(rejection) => return Ok(Err(rejection)),
        };
        if account.balance < required {
            return Ok(Err(TxRejection::InsufficientBalance {
                balance: account.balance,
                required,
            }));
        }

        // Buy the gas and use the nonce: kept whatever the execution does.
        let gas_cost = Balance::from(t.gas_limit) * t.gas_price;
        account.balance -= gas_cost;
        account.nonce += 1;
        world.set_account(&sender, &account);

        let intrinsic = self.intrinsic_gas_of_size(verified.size());
        let gas_left = t.gas_limit - intrinsic;
        let (outcome, contract_address) = match &t.action {
            Action::Transfer { to } => (self.transfer(world, sender, *to, t.value)?, None),
            Action::Deploy {
                code,
                init_args,
                salt,
            } => {
                let address = Address::for_contract(&sender, t.nonce, salt);
                let frame = Frame::outermost(sender, address, t.value);
                let outcome = self
                    .vm
                    .instantiate(world, block, frame, code, init_args.clone(), gas_left)?;
                let created = outcome.is_success().then_some(address);
                (outcome, created)
            }
            Action::Upload { code } => (self.vm.upload(world, code, gas_left)?, None),
            Action::Instantiate {
                code_hash,
                init_args,
                salt,
            } => {
                let address = Address::for_contract(&sender, t.nonce, salt);
                let frame = Frame::outermost(sender, address, t.value);
                let outcome = self.vm.instantiate_stored(
                    world,
                    block,
                    frame,
                    *code_hash,
                    init_args.clone(),
                    gas_left,
                )?;
                let created = outcome.is_success().then_some(address);
                (outcome, created)
            }
            Action::Call { to, method, args } => {
                let request = CallRequest {
                    frame: Frame::outermost(sender, *to, t.value),
                    entry: method.clone(),
                    input: args.clone(),
                    gas_limit: gas_left,
                };
                (self.vm.call(world, block, request)?, None)
            }
        };

        let gas_used = intrinsic.saturating_add(outcome.gas_used).min(t.gas_limit);
        let refund = Balance::from(t.gas_limit - gas_used) * t.gas_price;
        let mut account = world.account(&sender)?;
        account.balance = account.balance.saturating_add(refund);
        world.set_account(&sender, &account);

        let receipt = Receipt {
            tx_hash: verified.hash(),
            status: outcome.status,
            gas_used,
            return_data: outcome.return_data,
            events: outcome.events,
            first_log_index: 0,
            contract_address,
        };
        Ok(Ok((receipt, outcome.trace)))
    }

    /// A plain value transfer: no code runs (even if `to` is a contract).
    fn transfer(
        &self,
        world: &mut World,
        from: Address,
        to: Address,
        value: Balance,
    ) -> Result<Outcome, ChainError> {
        // The balance was checked to cover value + gas, so this cannot fall short.
        let moved = world.transfer(&from, &to, value)?;
        let status = if moved {
            ExecStatus::Success
        } else {
            ExecStatus::Revert
        };
        Ok(Outcome {
            status,
            return_data: Vec::new(),
            gas_used: 0,
            events: Vec::new(),
            trace: Trace::default(),
        })
    }
}
