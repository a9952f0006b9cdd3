//! [`TestChain`]: the node's [`Chain`] in process, with named accounts and the test's control over
//! blocks, time, snapshots and balances.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};
use weft_abi::Abi;
use weft_chain::{
    Chain, ChainError, ChainSnapshot, DEV_BLOCK_GAS_LIMIT, Estimate, Genesis, SimulateAt, Simulation,
};
use weft_gas::GasSchedule;
use weft_primitives::{
    Action, Address, Balance, Gas, Hash, Receipt, SignedTransaction, SigningKey, Trace, Transaction,
    keccak256_concat,
};
use weft_state::{MemStore, SharedStore};
use weft_vm::{Outcome, Vm};

use crate::contract::{Contract, DEFAULT_GAS, DeployBuilder, DeploySource};
use crate::gas::GasReport;
use crate::outcome::{Called, Failure};

/// The test chain's id.
pub const TEST_CHAIN_ID: u64 = 31_337;
/// The timestamp of the genesis block.
pub const GENESIS_TIMESTAMP: u64 = 1_700_000_000;
/// What a named account holds when first used.
pub const DEFAULT_FUNDS: Balance = 1_000_000 * 1_000_000_000_000_000_000;
/// The gas price of every transaction.
pub const GAS_PRICE: Balance = 1;

/// One VM per process: every chain shares its module cache, so a contract compiles once.
fn shared_vm() -> Vm {
    static VM: OnceLock<Vm> = OnceLock::new();
    VM.get_or_init(|| Vm::new(GasSchedule::default())).clone()
}

/// A named account with its signing key. Serializes as its address, so it can stand in event
/// assertions: `json!({"to": bob})`.
#[derive(Clone)]
pub struct TestAccount {
    name: String,
    key: SigningKey,
    address: Address,
}

impl TestAccount {
    /// The account's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The account's address.
    pub fn address(&self) -> Address {
        self.address
    }

    /// The account's ed25519 signing key (derived from its name: test use only).
    pub fn key(&self) -> &SigningKey {
        &self.key
    }
}

impl std::fmt::Debug for TestAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.address)
    }
}

impl Serialize for TestAccount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.address)
    }
}

impl From<&TestAccount> for Address {
    fn from(account: &TestAccount) -> Self {
        account.address
    }
}

/// A saved state of a [`TestChain`]: blocks, state, and the clock.
#[derive(Debug, Clone)]
pub struct Snapshot {
    chain: ChainSnapshot,
    next_timestamp: u64,
}

/// What the test kit knows of a deployed contract: its label, and the ABI of the code it runs.
#[derive(Debug, Clone)]
pub(crate) struct ContractInfo {
    pub label: String,
    pub abi: Option<Arc<Abi>>,
    /// The code the ABI was read from (an upgrade changes it).
    pub code_hash: Option<Hash>,
}

struct Inner {
    chain: Chain,
    accounts: BTreeMap<String, TestAccount>,
    contracts: HashMap<Address, ContractInfo>,
    next_timestamp: u64,
    block_time: u64,
}

/// An in-process chain for contract tests. Methods take `&self`, so contract handles can borrow
/// it; it is not `Sync` (one test, one thread).
pub struct TestChain {
    inner: RefCell<Inner>,
    gas: RefCell<GasReport>,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestChain")
            .field("height", &self.height())
            .finish_non_exhaustive()
    }
}

impl Default for TestChain {
    fn default() -> Self {
        Self::new()
    }
}

impl TestChain {
    /// A fresh chain on an in-memory store.
    pub fn new() -> Self {
        Self::on_store(Arc::new(MemStore::new()), None)
    }

    /// A fresh chain on a RocksDB in a temporary directory, deleted when the chain is dropped.
    #[cfg(feature = "rocksdb")]
    pub fn on_rocksdb() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
        let store = weft_state::RocksStore::open(dir.path()).unwrap_or_else(|e| panic!("RocksDB: {e}"));
        Self::on_store(Arc::new(store), Some(dir))
    }

    fn on_store(store: SharedStore, dir: Option<tempfile::TempDir>) -> Self {
        let genesis = Genesis {
            chain_id: TEST_CHAIN_ID,
            timestamp: GENESIS_TIMESTAMP,
            block_gas_limit: DEV_BLOCK_GAS_LIMIT,
            accounts: Vec::new(),
            contracts: Vec::new(),
            validators: Vec::new(),
        };
        let chain = Chain::open(store, shared_vm(), genesis).unwrap_or_else(|e| panic!("test chain: {e}"));
        Self {
            inner: RefCell::new(Inner {
                chain,
                accounts: BTreeMap::new(),
                contracts: HashMap::new(),
                next_timestamp: GENESIS_TIMESTAMP + 1,
                block_time: 1,
            }),
            gas: RefCell::new(GasReport::default()),
            _dir: dir,
        }
    }

    /// The account named `name`, funded with [`DEFAULT_FUNDS`] the first time it is asked for. Its
    /// key is derived from the name, so `alice` is the same account in every test.
    pub fn account(&self, name: &str) -> TestAccount {
        if let Some(account) = self.inner.borrow().accounts.get(name) {
            return account.clone();
        }
        let secret = keccak256_concat(&[b"weft testkit account", name.as_bytes()]);
        let key = SigningKey::from_bytes(&secret.0);
        let address = Address::from_public_key(&Transaction::signer_of(&key));
        let account = TestAccount {
            name: name.to_owned(),
            key,
            address,
        };
        self.set_balance(address, DEFAULT_FUNDS);
        self.inner
            .borrow_mut()
            .accounts
            .insert(name.to_owned(), account.clone());
        account
    }

    /// Starts a deploy of `code` (see [`crate::artifact`] for the committed contracts).
    pub fn deploy(&self, code: impl Into<Vec<u8>>) -> DeployBuilder<'_> {
        DeployBuilder::new(self, DeploySource::Code(code.into()))
    }

    /// Stores `code` on chain (an upload transaction from `alice`) for [`TestChain::instantiate`]
    /// and contracts' `create`; its code hash.
    pub fn upload(&self, code: impl Into<Vec<u8>>) -> Result<Hash, Failure> {
        let alice = self.account("alice");
        let code = code.into();
        let label = Abi::from_wasm(&code)
            .ok()
            .flatten()
            .and_then(|abi| abi.contract)
            .unwrap_or_else(|| "code".to_owned());
        let (receipt, trace) = self.send(&alice, Action::Upload { code }, 0, DEFAULT_GAS)?;
        self.record_gas(&label, "upload", receipt.gas_used);
        let what = format!("upload of {label}");
        let called = Called::from_receipt(self, &what, receipt, trace, None)?;
        let code_hash = Hash::from_slice(called.return_data())
            .unwrap_or_else(|| panic!("an upload returns its 32-byte code hash"));
        Ok(code_hash)
    }

    /// Starts a deploy of the stored code `code_hash` ([`TestChain::upload`]).
    pub fn instantiate(&self, code_hash: Hash) -> DeployBuilder<'_> {
        DeployBuilder::new(self, DeploySource::Stored(code_hash))
    }

    /// A handle to the contract at `address` (its ABI read from its code).
    pub fn at(&self, address: Address) -> Contract<'_> {
        let info = self.contract_info(&address);
        Contract::new(self, address, info)
    }

    /// The height of the last block.
    pub fn height(&self) -> u64 {
        self.inner.borrow().chain.head().height
    }

    /// The timestamp the next block will have.
    pub fn next_timestamp(&self) -> u64 {
        self.inner.borrow().next_timestamp
    }

    /// Produces `count` empty blocks, `block_time` seconds apart.
    pub fn advance_blocks(&self, count: u64) {
        for _ in 0..count {
            self.produce(Vec::new());
        }
    }

    /// Moves the clock forward: the next block is `seconds` later than it would have been.
    pub fn advance_time(&self, seconds: u64) {
        self.inner.borrow_mut().next_timestamp += seconds;
    }

    /// Sets the next block's timestamp (never before the head's).
    pub fn set_next_timestamp(&self, timestamp: u64) {
        let mut inner = self.inner.borrow_mut();
        inner.next_timestamp = timestamp.max(inner.chain.head().timestamp);
    }

    /// Seconds between blocks (default 1).
    pub fn set_block_time(&self, seconds: u64) {
        self.inner.borrow_mut().block_time = seconds;
    }

    /// Saves the whole chain and the clock.
    pub fn snapshot(&self) -> Snapshot {
        let inner = self.inner.borrow();
        Snapshot {
            // A test's own chain: no bound on what it copies.
            chain: inner
                .chain
                .snapshot(usize::MAX)
                .unwrap_or_else(|e| fault(&e))
                .unwrap_or_else(|| panic!("a snapshot without a bound is never too large")),
            next_timestamp: inner.next_timestamp,
        }
    }

    /// Returns to `snapshot`: blocks, state and clock as they were. (Accounts and contract handles
    /// stay valid; a contract deployed after the snapshot is gone.)
    pub fn revert(&self, snapshot: &Snapshot) {
        let mut inner = self.inner.borrow_mut();
        inner.chain.revert(&snapshot.chain).unwrap_or_else(|e| fault(&e));
        inner.next_timestamp = snapshot.next_timestamp;
    }

    /// Sets the balance of `address` directly (outside any transaction).
    pub fn set_balance(&self, address: impl Into<Address>, amount: Balance) {
        let address = address.into();
        self.inner
            .borrow_mut()
            .chain
            .override_state(|world| {
                let mut account = world.account(&address)?;
                account.balance = amount;
                world.set_account(&address, &account);
                Ok(())
            })
            .unwrap_or_else(|e| fault(&e));
    }

    /// The balance of `address`.
    pub fn balance(&self, address: impl Into<Address>) -> Balance {
        self.account_state(address.into()).balance
    }

    /// The next nonce of `address`.
    pub fn nonce(&self, address: impl Into<Address>) -> u64 {
        self.account_state(address.into()).nonce
    }

    /// The storage value of `key` in `contract`.
    pub fn storage(&self, contract: impl Into<Address>, key: &[u8]) -> Option<Vec<u8>> {
        let inner = self.inner.borrow();
        inner
            .chain
            .state()
            .storage(&contract.into(), key)
            .unwrap_or_else(|e| fault(&e.into()))
    }

    /// The gas report of this chain so far (added on drop to the test binary's, printed at its exit with `WEFT_GAS_REPORT=1`).
    pub fn gas_report(&self) -> GasReport {
        self.gas.borrow().clone()
    }

    fn account_state(&self, address: Address) -> weft_primitives::Account {
        let inner = self.inner.borrow();
        inner
            .chain
            .state()
            .account(&address)
            .unwrap_or_else(|e| fault(&e.into()))
    }

    /// Signs and executes one transaction in a block of its own.
    pub(crate) fn send(
        &self,
        from: &TestAccount,
        action: Action,
        value: Balance,
        gas_limit: Gas,
    ) -> Result<(Receipt, Trace), Failure> {
        let tx = self.sign(from, action, value, gas_limit);
        let mut produced = self.produce(vec![tx]);
        if let Some((_, rejection)) = produced.rejected.pop() {
            return Err(Failure::Rejected(rejection));
        }
        let receipt = produced
            .receipts
            .pop()
            .unwrap_or_else(|| panic!("the test chain produced no receipt"));
        Ok((receipt, produced.traces.pop().unwrap_or_default()))
    }

    /// The transaction `from` would send now.
    pub(crate) fn sign(
        &self,
        from: &TestAccount,
        action: Action,
        value: Balance,
        gas_limit: Gas,
    ) -> SignedTransaction {
        Transaction {
            chain_id: TEST_CHAIN_ID,
            signer: Transaction::signer_of(&from.key),
            nonce: self.nonce(from),
            gas_limit,
            gas_price: GAS_PRICE,
            value,
            action,
        }
        .sign(&from.key)
    }

    /// A call from `from` to simulate on the head state, as the next block would run it.
    pub(crate) fn simulation(
        &self,
        from: Address,
        to: Address,
        method: &str,
        input: Vec<u8>,
        value: Balance,
    ) -> Simulation {
        Simulation {
            from,
            to,
            method: method.to_owned(),
            input,
            value,
            at: SimulateAt::Next {
                timestamp: self.inner.borrow().next_timestamp,
            },
        }
    }

    /// The intrinsic gas of a transaction making `simulation` (charged before execution).
    pub(crate) fn executor_intrinsic_gas(&self, simulation: &Simulation) -> Gas {
        let inner = self.inner.borrow();
        inner.chain.executor().intrinsic_gas_for(&simulation.action())
    }

    /// Runs `simulation` with `gas` gas, keeping nothing.
    pub(crate) fn simulate(&self, simulation: &Simulation, gas: Gas) -> Outcome {
        let inner = self.inner.borrow();
        let outcome = inner
            .chain
            .simulate(simulation, gas)
            .unwrap_or_else(|e| fault(&e));
        outcome.unwrap_or_else(|| unreachable!("a simulation on the head always runs"))
    }

    /// The gas limit a transaction making `simulation` needs (what `weft_estimateGas` answers),
    /// searching up to `cap` gas of execution.
    pub(crate) fn estimate_gas(&self, simulation: &Simulation, cap: Gas) -> Estimate {
        let inner = self.inner.borrow();
        let estimate = inner
            .chain
            .estimate_gas(simulation, cap, None)
            .unwrap_or_else(|e| fault(&e));
        estimate.unwrap_or_else(|| unreachable!("a simulation on the head always runs"))
    }

    fn produce(&self, transactions: Vec<SignedTransaction>) -> weft_chain::Produced {
        let mut inner = self.inner.borrow_mut();
        let timestamp = inner.next_timestamp;
        let produced = inner
            .chain
            .produce_block(transactions, timestamp)
            .unwrap_or_else(|e| fault(&e));
        inner.next_timestamp = produced.block.header.timestamp + inner.block_time;
        produced
    }

    /// The label and ABI of the contract at `address`, reading its code the first time and again
    /// after an upgrade (a registered label stays).
    pub(crate) fn contract_info(&self, address: &Address) -> ContractInfo {
        let code_hash = self.account_state(*address).code_hash;
        let known = self.inner.borrow().contracts.get(address).cloned();
        if let Some(info) = &known
            && info.code_hash == code_hash
        {
            return info.clone();
        }
        let abi = self
            .inner
            .borrow()
            .chain
            .abi_of(address)
            .unwrap_or_else(|e| fault(&e));
        let abi = abi.ok().flatten().map(Arc::new);
        let label = match known {
            Some(info) => info.label,
            None => abi
                .as_ref()
                .and_then(|abi| abi.contract.clone())
                .unwrap_or_else(|| short(address)),
        };
        let info = ContractInfo {
            label,
            abi,
            code_hash,
        };
        self.inner.borrow_mut().contracts.insert(*address, info.clone());
        info
    }

    /// The ABI of the stored code `code_hash`, if it is stored and has one.
    pub(crate) fn abi_of_code(&self, code_hash: &Hash) -> Option<Abi> {
        let code = self
            .inner
            .borrow()
            .chain
            .state()
            .code(code_hash)
            .unwrap_or_else(|e| fault(&e.into()))?;
        Abi::from_wasm(&code).ok().flatten()
    }

    /// Records a deployed contract's label and ABI.
    pub(crate) fn register(&self, address: Address, info: ContractInfo) {
        self.inner.borrow_mut().contracts.insert(address, info);
    }

    /// Adds a transaction's gas to the report.
    pub(crate) fn record_gas(&self, label: &str, method: &str, gas: Gas) {
        self.gas.borrow_mut().record(label, method, gas);
    }
}

impl Drop for TestChain {
    fn drop(&mut self) {
        if crate::gas::report_wanted() {
            crate::gas::add_to_binary_report(&self.gas.borrow());
        }
    }
}

/// `0x1234…abcd` for labels.
fn short(address: &Address) -> String {
    let hex = address.to_string();
    format!("{}…{}", &hex[..6], &hex[hex.len() - 4..])
}

/// A node fault inside the test chain (a store error, say) is a broken test environment, not a
/// contract outcome: the test stops there.
fn fault(error: &ChainError) -> ! {
    panic!("test chain fault: {error}")
}
