//! Deploy, call and view builders, and the [`Contract`] handle.

use std::marker::PhantomData;
use std::sync::Arc;

use parity_scale_codec::{Decode, DecodeAll, Encode};
use weft_abi::{Abi, Method};
use weft_chain::{EstimateFailure, Simulation};
use weft_primitives::{Action, Address, Balance, Gas, Hash, keccak256};

use crate::chain::{ContractInfo, TestAccount, TestChain};
use crate::outcome::{Called, Failure, report_failure};

/// The gas limit of a transaction unless the test sets one: the block's whole limit (only the
/// gas used is paid).
pub const DEFAULT_GAS: Gas = weft_chain::DEV_BLOCK_GAS_LIMIT;

/// Gas for views (dry runs that return a value).
pub const VIEW_GAS: Gas = 1_000_000_000;

/// What every builder holds: who sends, with what value, input and gas.
#[derive(Clone)]
struct Sending {
    from: Option<TestAccount>,
    input: Vec<u8>,
    value: Balance,
    gas: Gas,
}

impl Sending {
    fn new() -> Self {
        Self {
            from: None,
            input: Vec::new(),
            value: 0,
            gas: DEFAULT_GAS,
        }
    }

    /// The sender: the one given, or `alice`.
    fn sender(&self, chain: &TestChain) -> TestAccount {
        self.from.clone().unwrap_or_else(|| chain.account("alice"))
    }
}

macro_rules! sending_setters {
    () => {
        /// The sender (default: the account `alice`).
        pub fn from(mut self, account: &TestAccount) -> Self {
            self.sending.from = Some(account.clone());
            self
        }

        /// The arguments: one value, or a tuple for several, SCALE-encoded.
        pub fn args(mut self, args: impl Encode) -> Self {
            self.sending.input = args.encode();
            self
        }

        /// The input bytes as they are.
        pub fn args_raw(mut self, input: impl Into<Vec<u8>>) -> Self {
            self.sending.input = input.into();
            self
        }

        /// Value attached to the call.
        pub fn value(mut self, value: Balance) -> Self {
            self.sending.value = value;
            self
        }

        /// The gas limit (default [`DEFAULT_GAS`] for transactions, [`VIEW_GAS`] for views).
        pub fn gas(mut self, gas: Gas) -> Self {
            self.sending.gas = gas;
            self
        }
    };
}

/// What a deploy deploys.
pub(crate) enum DeploySource {
    /// Code sent with the transaction.
    Code(Vec<u8>),
    /// Code stored by an upload.
    Stored(Hash),
}

/// A deploy: `chain.deploy(code).from(&alice).args(..).value(..).send()`, or of stored code,
/// `chain.instantiate(code_hash)...send()`.
#[must_use = "a deploy does nothing until `send`"]
pub struct DeployBuilder<'c> {
    chain: &'c TestChain,
    source: DeploySource,
    salt: Hash,
    label: Option<String>,
    sending: Sending,
}

impl<'c> DeployBuilder<'c> {
    pub(crate) fn new(chain: &'c TestChain, source: DeploySource) -> Self {
        Self {
            chain,
            source,
            salt: Hash::ZERO,
            label: None,
            sending: Sending::new(),
        }
    }

    sending_setters!();

    /// A salt for the contract's address.
    pub fn salt(mut self, salt: Hash) -> Self {
        self.salt = salt;
        self
    }

    /// The contract's name in gas reports (default: the name in its ABI).
    pub fn label(mut self, label: &str) -> Self {
        self.label = Some(label.to_owned());
        self
    }

    /// Sends the deploy in a block of its own; the contract's handle if it succeeded.
    pub fn send(self) -> Result<Contract<'c>, Failure> {
        self.send_with_receipt().map(|(contract, _)| contract)
    }

    /// Like [`send`](Self::send), with the deploy's result (events of the constructor, gas).
    pub fn send_with_receipt(self) -> Result<(Contract<'c>, Called), Failure> {
        let chain = self.chain;
        let (abi, code_hash) = match &self.source {
            DeploySource::Code(code) => (Abi::from_wasm(code).ok().flatten(), keccak256(code)),
            DeploySource::Stored(code_hash) => (chain.abi_of_code(code_hash), *code_hash),
        };
        let abi = abi.map(Arc::new);
        let label = self
            .label
            .or_else(|| abi.as_ref().and_then(|abi| abi.contract.clone()))
            .unwrap_or_else(|| "contract".to_owned());
        let from = self.sending.sender(chain);
        let (init_args, salt) = (self.sending.input, self.salt);
        let action = match self.source {
            DeploySource::Code(code) => Action::Deploy {
                code,
                init_args,
                salt,
            },
            DeploySource::Stored(code_hash) => Action::Instantiate {
                code_hash,
                init_args,
                salt,
            },
        };
        let (receipt, trace) = chain.send(&from, action, self.sending.value, self.sending.gas)?;
        chain.record_gas(&label, "deploy", receipt.gas_used);
        let constructor = abi.as_deref().and_then(Abi::constructor);
        let called = Called::from_receipt(chain, &format!("deploy of {label}"), receipt, trace, constructor)?;
        let address = called
            .receipt
            .contract_address
            .unwrap_or_else(|| panic!("a successful deploy without a contract address"));
        let info = ContractInfo {
            label,
            abi,
            code_hash: Some(code_hash),
        };
        chain.register(address, info.clone());
        Ok((Contract::new(chain, address, info), called))
    }
}

/// A deployed contract, bound to its chain.
#[derive(Clone)]
pub struct Contract<'c> {
    chain: &'c TestChain,
    address: Address,
    info: ContractInfo,
}

impl std::fmt::Debug for Contract<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.info.label, self.address)
    }
}

impl serde::Serialize for Contract<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.address)
    }
}

impl From<&Contract<'_>> for Address {
    fn from(contract: &Contract<'_>) -> Self {
        contract.address
    }
}

impl<'c> Contract<'c> {
    pub(crate) fn new(chain: &'c TestChain, address: Address, info: ContractInfo) -> Self {
        Self { chain, address, info }
    }

    /// The contract's address.
    pub fn address(&self) -> Address {
        self.address
    }

    /// Its ABI, if its code has a `weft_abi` section.
    pub fn abi(&self) -> Option<&Abi> {
        self.info.abi.as_deref()
    }

    /// Its balance.
    pub fn balance(&self) -> Balance {
        self.chain.balance(self.address)
    }

    /// Its storage value at `key`.
    pub fn storage(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.chain.storage(self.address, key)
    }

    /// Starts a transaction calling `method`.
    pub fn call(&self, method: &str) -> CallBuilder<'c> {
        CallBuilder {
            contract: self.clone(),
            method: method.to_owned(),
            sending: Sending::new(),
        }
    }

    /// Starts a view of `method`: a dry run whose return data decodes as `T`.
    pub fn view<T: Decode>(&self, method: &str) -> ViewBuilder<'c, T> {
        let mut sending = Sending::new();
        sending.gas = VIEW_GAS;
        ViewBuilder {
            call: CallBuilder {
                contract: self.clone(),
                method: method.to_owned(),
                sending,
            },
            _type: PhantomData,
        }
    }

    /// The ABI of `method` in the code the contract runs now (an upgrade changes it).
    fn method_abi(&self, method: &str) -> Option<Method> {
        let info = self.chain.contract_info(&self.address);
        info.abi
            .as_deref()
            .and_then(|abi| abi.method(method).ok())
            .cloned()
    }
}

/// A call: `contract.call("transfer").args((to, amount)).from(&bob).send()`.
#[must_use = "a call does nothing until `send` or `dry_run`"]
pub struct CallBuilder<'c> {
    contract: Contract<'c>,
    method: String,
    sending: Sending,
}

impl CallBuilder<'_> {
    sending_setters!();

    /// Sends the call as a transaction in a block of its own.
    pub fn send(self) -> Result<Called, Failure> {
        let chain = self.contract.chain;
        let from = self.sending.sender(chain);
        let action = Action::Call {
            to: self.contract.address,
            method: self.method.clone(),
            args: self.sending.input,
        };
        let (receipt, trace) = chain.send(&from, action, self.sending.value, self.sending.gas)?;
        let label = &self.contract.info.label;
        chain.record_gas(label, &self.method, receipt.gas_used);
        let what = format!("call of {label}::{}", self.method);
        let method = self.contract.method_abi(&self.method);
        Called::from_receipt(chain, &what, receipt, trace, method.as_ref())
    }

    /// Runs the call without keeping anything; the gas limit a transaction sending it needs
    /// (intrinsic gas plus execution, found as `weft_estimateGas` finds it: the smallest limit
    /// with which it succeeds, up to the builder's gas), or why it fails at that gas.
    pub fn dry_run(self) -> Result<Gas, Failure> {
        let chain = self.contract.chain;
        let from = self.sending.sender(chain);
        let simulation = self.simulation(from.address());
        let cap = self
            .sending
            .gas
            .saturating_sub(chain.executor_intrinsic_gas(&simulation));
        chain.estimate_gas(&simulation, cap).map_err(|failure| {
            let outcome = match failure {
                EstimateFailure::Fails(outcome) => outcome,
                EstimateFailure::OutOfTime { .. } => unreachable!("a test kit estimate has no deadline"),
            };
            Failure::check(
                outcome.status.clone(),
                &outcome.trace,
                &outcome.return_data,
                outcome.gas_used,
            )
            .err()
            .unwrap_or_else(|| unreachable!("an estimate fails only for a call that fails"))
        })
    }

    fn simulation(&self, from: Address) -> Simulation {
        self.contract.chain.simulation(
            from,
            self.contract.address,
            &self.method,
            self.sending.input.clone(),
            self.sending.value,
        )
    }
}

/// A view: `contract.view::<u128>("balance_of").args(owner).get()`. Runs as a dry run from the
/// zero address (or `from`), keeping nothing.
#[must_use = "a view does nothing until `get`"]
pub struct ViewBuilder<'c, T> {
    call: CallBuilder<'c>,
    _type: PhantomData<T>,
}

impl<T: Decode> ViewBuilder<'_, T> {
    /// The caller (default: the zero address).
    pub fn from(mut self, account: &TestAccount) -> Self {
        self.call.sending.from = Some(account.clone());
        self
    }

    /// The arguments: one value, or a tuple for several, SCALE-encoded.
    pub fn args(mut self, args: impl Encode) -> Self {
        self.call.sending.input = args.encode();
        self
    }

    /// The value, or the failure of the call. Return data that does not decode as `T` panics: the
    /// test asked for the wrong type.
    pub fn try_get(self) -> Result<T, Failure> {
        let from = self
            .call
            .sending
            .from
            .as_ref()
            .map_or(Address::ZERO, TestAccount::address);
        let chain = self.call.contract.chain;
        let outcome = chain.simulate(&self.call.simulation(from), self.call.sending.gas);
        if let Err(failure) = Failure::check(
            outcome.status,
            &outcome.trace,
            &outcome.return_data,
            outcome.gas_used,
        ) {
            let what = format!("view of {}::{}", self.call.contract.info.label, self.call.method);
            report_failure(chain, &what, &failure, &outcome.trace);
            return Err(failure);
        }
        let value = T::decode_all(&mut &outcome.return_data[..]).unwrap_or_else(|_| {
            panic!(
                "{}::{} returned {} bytes that do not decode as {}",
                self.call.contract.info.label,
                self.call.method,
                outcome.return_data.len(),
                std::any::type_name::<T>()
            )
        });
        Ok(value)
    }

    /// The value; panics with the failure if the call fails.
    pub fn get(self) -> T {
        let what = format!("{}::{}", self.call.contract.info.label, self.call.method);
        self.try_get()
            .unwrap_or_else(|failure| panic!("view {what} failed: {failure}"))
    }
}
