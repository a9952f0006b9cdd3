//! Traces: what a transaction's execution wrote for people — a trap's words, `debug_log` lines
//! and the tree of call frames — kept beside its receipt and served with it, but never hashed:
//! two nodes may hold different traces for the same receipt, and a new engine may word them
//! differently.

use std::borrow::Cow;
use std::fmt::Write as _;

use parity_scale_codec::{Decode, Encode};

use crate::bytes::Address;
use crate::receipt::{Event, ExecStatus, TrapKind};
use crate::{Balance, Gas};

/// A trap's explanation for people: never hashed, so it may change with the engine's wording.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct TrapDetail {
    /// The wasm function that trapped, from the name section when present.
    pub function: Option<String>,
    /// A human-readable explanation.
    pub message: String,
}

/// What a transaction's execution wrote for people, kept beside its receipt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
pub struct Trace {
    /// Where and why it trapped, if it did.
    pub trap: Option<TrapDetail>,
    /// `debug_log` lines, nested calls' included.
    pub logs: Vec<String>,
    /// The frames it ran, outermost first; `None` for an action that runs no code (a transfer,
    /// an upload).
    pub calls: Option<CallTrace>,
}

impl Trace {
    /// A line for people on a trap of `kind`: `Kind in function: message`, from this trace's detail
    /// when it has one.
    pub fn describe_trap(&self, kind: TrapKind) -> String {
        match &self.trap {
            Some(detail) => format!(
                "{kind:?} in {}: {}",
                detail.function.as_deref().unwrap_or("?"),
                detail.message
            ),
            None => format!("{kind:?}"),
        }
    }
}

/// Why a frame ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub enum FrameKind {
    /// A call of an entry point: a transaction's or a contract's `call`.
    #[codec(index = 0)]
    Call,
    /// A transaction's deploy or instantiate: the new contract's constructor.
    #[codec(index = 1)]
    Deploy,
    /// A contract's `create`: the new contract's constructor.
    #[codec(index = 2)]
    Create,
    /// A contract's `upgrade`: the new code's `migrate`.
    #[codec(index = 3)]
    Migrate,
}

impl FrameKind {
    /// `call`, `deploy`, `create` or `migrate`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Deploy => "deploy",
            Self::Create => "create",
            Self::Migrate => "migrate",
        }
    }
}

/// How a frame ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub enum FrameStatus {
    /// It returned; its changes were kept (unless a frame below it failed later).
    #[codec(index = 0)]
    Success,
    /// It reverted; its changes were undone.
    #[codec(index = 1)]
    Revert,
    /// It ran out of gas; its changes were undone.
    #[codec(index = 2)]
    OutOfGas,
    /// It trapped; its changes were undone.
    #[codec(index = 3)]
    Trap {
        /// What went wrong.
        kind: TrapKind,
    },
    /// It did not start (no contract or entry point, reentrancy, depth, short balance, taken
    /// address, unknown code): the reason is the frame's [`CallTrace::trap`] message.
    #[codec(index = 4)]
    Refused,
}

impl From<&ExecStatus> for FrameStatus {
    /// How a frame that ran ended, as its execution status says.
    fn from(status: &ExecStatus) -> Self {
        match status {
            ExecStatus::Success => Self::Success,
            ExecStatus::Revert => Self::Revert,
            ExecStatus::OutOfGas => Self::OutOfGas,
            ExecStatus::Trap { kind } => Self::Trap { kind: *kind },
        }
    }
}

impl FrameStatus {
    /// Whether the frame returned.
    pub fn is_success(self) -> bool {
        self == Self::Success
    }
}

/// One host function and how many times a frame called it.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct HostCallCount {
    /// The host function's name in module `env` (borrowed from the host table while a frame runs,
    /// so counting allocates nothing; owned once decoded).
    pub name: Cow<'static, str>,
    /// Calls made by the frame itself (not its callees).
    pub count: u32,
}

/// One thing a frame did, in order.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub enum TraceStep {
    /// A `debug_log` line.
    #[codec(index = 0)]
    Log(String),
    /// An event it emitted (dropped from the receipt if the frame or one below it failed).
    #[codec(index = 1)]
    Event(Event),
    /// A frame it started: a call, a creation or a migration.
    #[codec(index = 2)]
    Frame(CallTrace),
}

impl TraceStep {
    /// Bytes of the events this step holds ([`Event::counted_bytes`]), a frame's whole tree's.
    pub fn event_bytes(&self) -> usize {
        match self {
            Self::Log(_) => 0,
            Self::Event(event) => event.counted_bytes(),
            Self::Frame(frame) => frame.event_bytes(),
        }
    }
}

/// One frame of a transaction's call tree.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct CallTrace {
    /// Why it ran.
    pub kind: FrameKind,
    /// The account or contract that started it.
    pub caller: Address,
    /// The contract that ran.
    pub contract: Address,
    /// The entry point.
    pub entry: String,
    /// The value sent with it.
    pub value: Balance,
    /// Bytes of input.
    pub input_len: u32,
    /// Bytes of return or revert data.
    pub output_len: u32,
    /// The most gas it could use.
    pub gas_limit: Gas,
    /// The gas it used, its callees' included.
    pub gas_used: Gas,
    /// How it ended.
    pub status: FrameStatus,
    /// Where and why it trapped, or why it was refused.
    pub trap: Option<TrapDetail>,
    /// The host functions it called, by name, in the order of the host ABI.
    pub host_calls: Vec<HostCallCount>,
    /// What it did, in order: logs, events and the frames it started.
    pub steps: Vec<TraceStep>,
}

/// How [`CallTrace::render`] names what it prints: the caller knows the contracts' ABIs.
pub trait TraceLabels {
    /// A name for `address` (say, `token` for a contract the caller deployed), if it has one.
    fn address(&self, address: &Address) -> Option<String> {
        let _ = address;
        None
    }
    /// The event decoded (say, `Transfer { from: 0x…, to: 0x…, amount: 250 }`), if it can be.
    fn event(&self, event: &Event) -> Option<String> {
        let _ = event;
        None
    }
}

/// Labels that name nothing: addresses and events print raw.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLabels;

impl TraceLabels for NoLabels {}

/// ANSI colours for [`CallTrace::render`]: green success, red failure, yellow gas, cyan events,
/// dim logs (forge's `-vvvv` palette).
const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

impl CallTrace {
    /// The frames of this tree, this one included.
    pub fn frame_count(&self) -> usize {
        1 + self.children().map(CallTrace::frame_count).sum::<usize>()
    }

    /// Bytes of the topics and data of the events in this tree (as the event limits count them).
    pub fn event_bytes(&self) -> usize {
        self.steps.iter().map(TraceStep::event_bytes).sum()
    }

    /// Removes every event of this tree, leaving in each frame that had some a log step that
    /// says how many; returns how many were removed.
    pub fn drop_events(&mut self) -> usize {
        let mut dropped = 0;
        let mut own = 0;
        self.steps.retain_mut(|step| match step {
            TraceStep::Event(_) => {
                own += 1;
                false
            }
            TraceStep::Frame(frame) => {
                dropped += frame.drop_events();
                true
            }
            TraceStep::Log(_) => true,
        });
        if own > 0 {
            self.steps.push(TraceStep::Log(format!(
                "({own} events of this failed frame are not kept in the trace: over its event limit)"
            )));
        }
        dropped + own
    }

    /// The frames this one started, in order.
    pub fn children(&self) -> impl Iterator<Item = &CallTrace> {
        self.steps.iter().filter_map(|step| match step {
            TraceStep::Frame(frame) => Some(frame),
            _ => None,
        })
    }

    /// The tree as indented text, one frame per line with its gas, then its steps below it:
    ///
    /// ```text
    /// [61234] call caller::try_transfer(0x…) value 0 → success (1 B out)
    /// ├─ [20511] call token::transfer → revert (22 B out)
    /// │  └─ log "insufficient balance"
    /// └─ emit TransferFailed { … }
    /// ```
    ///
    /// With `colour`, ANSI colours mark statuses, gas, events and logs.
    pub fn render(&self, labels: &dyn TraceLabels, colour: bool) -> String {
        let mut out = String::new();
        self.render_into(&mut out, labels, colour, "", "");
        out
    }

    fn render_into(&self, out: &mut String, labels: &dyn TraceLabels, colour: bool, first: &str, rest: &str) {
        let paint = |code: &str, text: &str| {
            if colour {
                format!("{code}{text}{RESET}")
            } else {
                text.to_owned()
            }
        };
        let contract = labels
            .address(&self.contract)
            .unwrap_or_else(|| self.contract.to_string());
        let (status, status_colour) = match self.status {
            FrameStatus::Success => ("success".to_owned(), GREEN),
            FrameStatus::Revert => ("revert".to_owned(), RED),
            FrameStatus::OutOfGas => ("out of gas".to_owned(), RED),
            FrameStatus::Trap { kind } => (format!("trap {kind:?}"), RED),
            FrameStatus::Refused => ("refused".to_owned(), RED),
        };
        let _ = write!(
            out,
            "{first}{} {} {contract}::{}",
            paint(YELLOW, &format!("[{}/{}]", self.gas_used, self.gas_limit)),
            self.kind.name(),
            self.entry,
        );
        if self.value != 0 {
            let _ = write!(out, " value {}", self.value);
        }
        let _ = write!(
            out,
            " ({} B in) → {} ({} B out)",
            self.input_len,
            paint(status_colour, &status),
            self.output_len
        );
        if let Some(trap) = &self.trap {
            let at = trap
                .function
                .as_deref()
                .map(|f| format!(" in {f}"))
                .unwrap_or_default();
            let _ = write!(out, "{}", paint(RED, &format!(": {}{at}", trap.message)));
        }
        if !self.host_calls.is_empty() {
            let calls: Vec<String> = self
                .host_calls
                .iter()
                .map(|c| format!("{}×{}", c.name, c.count))
                .collect();
            let _ = write!(out, " {}", paint(DIM, &format!("host: {}", calls.join(" "))));
        }
        out.push('\n');
        for (i, step) in self.steps.iter().enumerate() {
            let last = i + 1 == self.steps.len();
            let (branch, indent) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            let first = format!("{rest}{branch}");
            match step {
                TraceStep::Log(line) => {
                    let _ = writeln!(out, "{first}{}", paint(DIM, &format!("log {line:?}")));
                }
                TraceStep::Event(event) => {
                    let text = labels.event(event).unwrap_or_else(|| {
                        let topic = event.topics.first().map(|t| format!(" {t}")).unwrap_or_default();
                        format!(
                            "{} topics{topic}, {} B data",
                            event.topics.len(),
                            event.data.len()
                        )
                    });
                    let _ = writeln!(out, "{first}{}", paint(CYAN, &format!("emit {text}")));
                }
                TraceStep::Frame(frame) => {
                    frame.render_into(out, labels, colour, &first, &format!("{rest}{indent}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::Hash;
    use crate::decode_exact;

    fn frame(entry: &str, status: FrameStatus, steps: Vec<TraceStep>) -> CallTrace {
        CallTrace {
            kind: FrameKind::Call,
            caller: Address([1; 32]),
            contract: Address([2; 32]),
            entry: entry.into(),
            value: 0,
            input_len: 4,
            output_len: 1,
            gas_limit: 1_000,
            gas_used: 300,
            status,
            trap: None,
            host_calls: vec![HostCallCount {
                name: "storage_read".into(),
                count: 2,
            }],
            steps,
        }
    }

    fn sample() -> Trace {
        let event = Event {
            address: Address([2; 32]),
            topics: vec![Hash([7; 32])],
            data: vec![1, 2],
        };
        let inner = frame(
            "transfer",
            FrameStatus::Revert,
            vec![TraceStep::Log("insufficient balance".into())],
        );
        Trace {
            trap: None,
            logs: vec!["insufficient balance".into()],
            calls: Some(frame(
                "try_transfer",
                FrameStatus::Success,
                vec![TraceStep::Frame(inner), TraceStep::Event(event)],
            )),
        }
    }

    #[test]
    fn traces_round_trip() {
        let trace = sample();
        assert_eq!(decode_exact::<Trace>("trace", &trace.encode()).unwrap(), trace);
        let mut trapped = trace;
        trapped.trap = Some(TrapDetail {
            function: Some("transfer".into()),
            message: "out of bounds".into(),
        });
        assert_eq!(
            decode_exact::<Trace>("trace", &trapped.encode()).unwrap(),
            trapped
        );
    }

    #[test]
    fn a_tree_renders_indented_with_gas_per_frame() {
        let calls = sample().calls.unwrap();
        assert_eq!(calls.frame_count(), 2);
        let text = calls.render(&NoLabels, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("[300/1000] call 0x0202"), "{text}");
        assert!(
            lines[0].contains("try_transfer (4 B in) → success (1 B out)"),
            "{text}"
        );
        assert!(lines[0].ends_with("host: storage_read×2"), "{text}");
        assert!(lines[1].starts_with("├─ [300/1000] call"), "{text}");
        assert!(lines[1].contains("transfer (4 B in) → revert"), "{text}");
        assert_eq!(lines[2], "│  └─ log \"insufficient balance\"");
        assert!(lines[3].starts_with("└─ emit 1 topics 0x0707"), "{text}");
        assert!(!text.contains('\x1b'));
        let coloured = calls.render(&NoLabels, true);
        assert!(coloured.contains("\x1b[32msuccess\x1b[0m"), "{coloured}");
        assert!(coloured.contains("\x1b[31mrevert\x1b[0m"), "{coloured}");
    }

    #[test]
    fn events_are_counted_and_dropped_through_the_tree() {
        let mut calls = sample().calls.unwrap();
        assert_eq!(calls.event_bytes(), 32 + 2);
        let mut outer = frame(
            "outer",
            FrameStatus::Revert,
            vec![TraceStep::Frame(calls.clone())],
        );
        assert_eq!(outer.event_bytes(), 34);
        assert_eq!(outer.drop_events(), 1);
        assert_eq!(outer.event_bytes(), 0);
        let inner = outer.children().next().unwrap();
        assert!(matches!(inner.steps.last(), Some(TraceStep::Log(note)) if note.starts_with("(1 events")));
        assert_eq!(calls.drop_events(), 1);
    }

    #[test]
    fn labels_name_contracts_and_events() {
        struct Names;
        impl TraceLabels for Names {
            fn address(&self, _: &Address) -> Option<String> {
                Some("token".into())
            }
            fn event(&self, _: &Event) -> Option<String> {
                Some("Transfer { amount: 5 }".into())
            }
        }
        let text = sample().calls.unwrap().render(&Names, false);
        assert!(text.contains("call token::try_transfer"), "{text}");
        assert!(text.contains("emit Transfer { amount: 5 }"), "{text}");
    }
}
