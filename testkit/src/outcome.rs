//! What a call gives a test: [`Called`] on success, a typed [`Failure`] otherwise.

use std::fmt;

use parity_scale_codec::{Decode, DecodeAll};
use serde_json::{Map, Value};
use weft_abi::{DecodedEvent, Method};
use weft_chain::TxRejection;
use weft_primitives::{Address, CallTrace, Event, ExecStatus, Gas, Receipt, Trace, TraceLabels, TrapKind};

use crate::chain::{ContractInfo, TestChain};

/// Why a deploy or call did not succeed. Gas is the transaction's (intrinsic included) for sent
/// transactions, the execution's for views and dry runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The contract reverted; `message` is its revert data as text.
    Revert {
        /// The revert data, lossily as UTF-8 (the SDK's `require` and panics revert with text).
        message: String,
        /// The revert data.
        data: Vec<u8>,
        /// Gas used.
        gas_used: Gas,
    },
    /// The gas limit was reached.
    OutOfGas {
        /// Gas used: all of it.
        gas_used: Gas,
    },
    /// Execution trapped.
    Trap {
        /// The kind of trap.
        kind: TrapKind,
        /// The wasm function that trapped, when the module has names.
        function: Option<String>,
        /// What happened.
        message: String,
        /// Gas used.
        gas_used: Gas,
    },
    /// The transaction was refused before execution (nonce, funds, gas limit, size).
    Rejected(TxRejection),
}

impl Failure {
    /// `Ok` for a success, else the failure the status describes (a trap's words from `trace`).
    pub(crate) fn check(status: ExecStatus, trace: &Trace, data: &[u8], gas_used: Gas) -> Result<(), Self> {
        match status {
            ExecStatus::Success => Ok(()),
            ExecStatus::Revert => Err(Self::Revert {
                message: String::from_utf8_lossy(data).into_owned(),
                data: data.to_vec(),
                gas_used,
            }),
            ExecStatus::OutOfGas => Err(Self::OutOfGas { gas_used }),
            ExecStatus::Trap { kind } => {
                let detail = trace.trap.clone();
                Err(Self::Trap {
                    kind,
                    function: detail.as_ref().and_then(|d| d.function.clone()),
                    message: detail.map(|d| d.message).unwrap_or_default(),
                    gas_used,
                })
            }
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Revert {
                message, gas_used, ..
            } => write!(f, "reverted: {message:?} (gas {gas_used})"),
            Self::OutOfGas { gas_used } => write!(f, "out of gas ({gas_used})"),
            Self::Trap {
                kind,
                function,
                message,
                gas_used,
            } => {
                write!(f, "trapped: {kind:?}")?;
                if let Some(function) = function {
                    write!(f, " in {function}")?;
                }
                write!(f, ": {message} (gas {gas_used})")
            }
            Self::Rejected(rejection) => write!(f, "rejected: {rejection}"),
        }
    }
}

impl std::error::Error for Failure {}

/// How the test kit names what a call tree shows: each contract by its label, events decoded
/// through its ABI.
#[derive(Debug, Clone, Default)]
pub(crate) struct TraceNames {
    contracts: Vec<(Address, ContractInfo)>,
}

impl TraceNames {
    /// The names of every contract in `trace`'s call tree.
    pub(crate) fn of(chain: &TestChain, trace: &Trace) -> Self {
        fn visit(chain: &TestChain, frame: &CallTrace, names: &mut TraceNames) {
            if !names
                .contracts
                .iter()
                .any(|(address, _)| *address == frame.contract)
            {
                let info = chain.contract_info(&frame.contract);
                names.contracts.push((frame.contract, info));
            }
            for child in frame.children() {
                visit(chain, child, names);
            }
        }
        let mut names = Self::default();
        if let Some(calls) = &trace.calls {
            visit(chain, calls, &mut names);
        }
        names
    }

    fn info(&self, address: &Address) -> Option<&ContractInfo> {
        self.contracts
            .iter()
            .find(|(a, _)| a == address)
            .map(|(_, info)| info)
    }

    /// `trace`'s call tree as indented text (empty if no code ran).
    pub(crate) fn render(&self, trace: &Trace) -> String {
        trace
            .calls
            .as_ref()
            .map(|calls| calls.render(self, false))
            .unwrap_or_default()
    }
}

impl TraceLabels for TraceNames {
    fn address(&self, address: &Address) -> Option<String> {
        self.info(address).map(|info| info.label.clone())
    }

    fn event(&self, event: &Event) -> Option<String> {
        let decoded = self
            .info(&event.address)?
            .abi
            .as_ref()?
            .decode_event(event)?
            .ok()?;
        Some(format!("{} {}", decoded.name, Value::Object(decoded.fields)))
    }
}

/// Prints a failed transaction's or view's call tree to stderr, which the test harness shows only
/// if the test fails: a failure the test expected stays quiet, an unexpected one explains itself.
pub(crate) fn report_failure(chain: &TestChain, what: &str, failure: &Failure, trace: &Trace) {
    let tree = TraceNames::of(chain, trace).render(trace);
    eprintln!(
        "weft-testkit: {what} {failure}
{tree}"
    );
}

/// A successful deploy or call: its receipt, with return value and events decoded where the
/// contracts' ABIs allow, and its trace.
#[derive(Debug, Clone)]
pub struct Called {
    /// The transaction's receipt.
    pub receipt: Receipt,
    trace: Trace,
    names: TraceNames,
    returns: Option<Value>,
    events: Vec<Option<DecodedEvent>>,
}

impl Called {
    pub(crate) fn from_receipt(
        chain: &TestChain,
        what: &str,
        receipt: Receipt,
        trace: Trace,
        method: Option<&Method>,
    ) -> Result<Self, Failure> {
        if let Err(failure) = Failure::check(
            receipt.status.clone(),
            &trace,
            &receipt.return_data,
            receipt.gas_used,
        ) {
            report_failure(chain, what, &failure, &trace);
            return Err(failure);
        }
        let names = TraceNames::of(chain, &trace);
        let returns = method.and_then(|m| m.decode_return(&receipt.return_data).ok());
        let events = receipt
            .events
            .iter()
            .map(|event| {
                let info = chain.contract_info(&event.address);
                info.abi?.decode_event(event)?.ok()
            })
            .collect();
        Ok(Self {
            receipt,
            trace,
            names,
            returns,
            events,
        })
    }

    /// Its trace (not consensus data): `debug_log` lines and the call tree, one frame per
    /// contract entered, with gas, status, logs, events and host calls per frame.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The call tree as indented text, contracts named by their labels and events decoded:
    ///
    /// ```text
    /// [23456/29950000] call Caller::try_transfer (65 B in) → success (1 B out) host: ...
    /// ├─ [11234/29900000] call Token::transfer (48 B in) → revert (20 B out) ...
    /// └─ emit TransferFailed {"to": ..}
    /// ```
    pub fn call_tree(&self) -> String {
        self.names.render(&self.trace)
    }

    /// The return value decoded as `T`; panics if it does not decode (the test asked for the wrong
    /// type).
    pub fn decode<T: Decode>(&self) -> T {
        T::decode_all(&mut &self.receipt.return_data[..]).unwrap_or_else(|_| {
            panic!(
                "return data 0x{} does not decode as {}",
                hex_of(&self.receipt.return_data),
                std::any::type_name::<T>()
            )
        })
    }

    /// The return value as JSON, through the method's ABI (if the contract has one).
    pub fn json(&self) -> Option<&Value> {
        self.returns.as_ref()
    }

    /// The raw return data.
    pub fn return_data(&self) -> &[u8] {
        &self.receipt.return_data
    }

    /// Gas the transaction used, intrinsic gas included.
    pub fn gas_used(&self) -> Gas {
        self.receipt.gas_used
    }

    /// Events emitted, nested calls' included, in order.
    pub fn events(&self) -> &[Event] {
        &self.receipt.events
    }

    /// `debug_log` lines.
    pub fn logs(&self) -> &[String] {
        &self.trace.logs
    }

    /// The fields of every event named `name`, decoded through the emitting contract's ABI.
    pub fn events_named(&self, name: &str) -> Vec<&Map<String, Value>> {
        self.events
            .iter()
            .flatten()
            .filter(|event| event.name == name)
            .map(|event| &event.fields)
            .collect()
    }

    /// Asserts that an event named `name` was emitted whose fields include `fields` (a JSON
    /// object; a subset of the event's fields). Numbers match their decimal strings, so
    /// `json!({"amount": 250})` matches a `u128` field; accounts and contracts serialize as
    /// their address.
    #[track_caller]
    pub fn assert_event(&self, name: &str, fields: impl serde::Serialize) -> &Self {
        let expected = serde_json::to_value(fields).unwrap_or_else(|e| panic!("event fields: {e}"));
        let candidates = self.events_named(name);
        if !candidates.iter().any(|actual| json_includes(actual, &expected)) {
            panic!(
                "no `{name}` event with {expected}; emitted: {}",
                self.describe_events()
            );
        }
        self
    }

    /// Checks this transaction's gas against the line `name` of the gas snapshot file (see
    /// [`crate::gas`]); panics on drift or a missing line, records it with
    /// `WEFT_UPDATE_SNAPSHOTS=1`.
    #[track_caller]
    pub fn snapshot_gas(&self, name: &str) -> &Self {
        if let Err(mismatch) = crate::gas::check_snapshot(name, self.gas_used()) {
            panic!("{mismatch}");
        }
        self
    }

    fn describe_events(&self) -> String {
        let described: Vec<String> = self
            .events
            .iter()
            .zip(&self.receipt.events)
            .map(|(decoded, raw)| match decoded {
                Some(event) => format!("{} {}", event.name, Value::Object(event.fields.clone())),
                None => format!(
                    "(undecoded, {} topics, {} data bytes)",
                    raw.topics.len(),
                    raw.data.len()
                ),
            })
            .collect();
        if described.is_empty() {
            "none".to_owned()
        } else {
            described.join("; ")
        }
    }
}

/// Whether `actual` holds every field of `expected` (an object), recursively; a number matches
/// the same number written as a decimal string.
fn json_includes(actual: &Map<String, Value>, expected: &Value) -> bool {
    let Value::Object(expected) = expected else {
        return false;
    };
    expected
        .iter()
        .all(|(key, want)| actual.get(key).is_some_and(|have| json_matches(have, want)))
}

fn json_matches(have: &Value, want: &Value) -> bool {
    match (have, want) {
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => *s == n.to_string(),
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Object(have), want @ Value::Object(_)) => json_includes(have, want),
        (Value::Array(have), Value::Array(want)) => {
            have.len() == want.len() && have.iter().zip(want).all(|(h, w)| json_matches(h, w))
        }
        _ => have == want,
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_fields_match_as_a_subset_with_numbers_as_strings() {
        let Value::Object(actual) = json!({"from": "0xAB", "amount": "250", "pair": [1, "2"]}) else {
            unreachable!()
        };
        assert!(json_includes(&actual, &json!({"amount": 250})));
        assert!(json_includes(&actual, &json!({"from": "0xab", "pair": ["1", 2]})));
        assert!(json_includes(&actual, &json!({})));
        assert!(!json_includes(&actual, &json!({"amount": 251})));
        assert!(!json_includes(&actual, &json!({"missing": 1})));
        assert!(!json_includes(&actual, &json!({"pair": [1]})));
        assert!(!json_includes(&actual, &json!([1])));
    }

    #[test]
    fn failures_follow_the_status() {
        assert_eq!(
            Failure::check(ExecStatus::Success, &Trace::default(), b"", 1),
            Ok(())
        );
        let revert = Failure::check(ExecStatus::Revert, &Trace::default(), b"no", 5).unwrap_err();
        assert_eq!(
            revert,
            Failure::Revert {
                message: "no".into(),
                data: b"no".to_vec(),
                gas_used: 5
            }
        );
        assert_eq!(revert.to_string(), "reverted: \"no\" (gas 5)");
        assert_eq!(
            Failure::check(ExecStatus::OutOfGas, &Trace::default(), b"", 9),
            Err(Failure::OutOfGas { gas_used: 9 })
        );
    }
}
