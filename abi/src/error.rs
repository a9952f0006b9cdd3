//! Errors of ABI parsing and conversion.

/// Why an ABI could not be read or a value could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbiError {
    /// The wasm module could not be parsed.
    #[error("malformed wasm: {0}")]
    Wasm(String),
    /// The `weft_abi` section is malformed.
    #[error("malformed weft_abi section: {0}")]
    Section(String),
    /// A type string is not in the ABI's type grammar.
    #[error("unsupported ABI type `{0}`")]
    Type(String),
    /// A type string is longer than [`crate::MAX_TYPE_LEN`] bytes.
    #[error("ABI type of {len} bytes, longer than the limit of {limit}")]
    TypeTooLong {
        /// The text's length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A type nests deeper than [`crate::MAX_TYPE_DEPTH`] levels.
    #[error("ABI type nests deeper than {limit} levels")]
    TypeTooDeep {
        /// The limit.
        limit: usize,
    },
    /// A type name that is neither built in nor described by the section.
    #[error("`{0}` is not described: derive `weft_sdk::AbiType` on it")]
    UndefinedType(String),
    /// A struct or enum that contains itself.
    #[error("`{0}` is recursive, which the ABI does not describe")]
    RecursiveType(String),
    /// Two different definitions of one type name (from two modules or crates).
    #[error("two different types are named `{0}`")]
    TypeDefinedTwice(String),
    /// A struct's or enum's definition could not be used.
    #[error("in `{ty}`: {error}")]
    InType {
        /// The type.
        ty: String,
        /// What is wrong inside it.
        error: Box<AbiError>,
    },
    /// A conversion would make more values than its budget allows ([`crate::MAX_VALUES`] plus one per
    /// input byte when decoding).
    #[error("the value has more than {limit} elements")]
    TooManyValues {
        /// The budget that was exceeded.
        limit: usize,
    },
    /// No method of that name.
    #[error("the contract has no method `{0}`")]
    UnknownMethod(String),
    /// The method takes or returns a type the ABI does not describe (a struct or enum without
    /// `#[derive(weft_sdk::AbiType)]`, a recursive type, one over the limits): its arguments and
    /// result are SCALE bytes only.
    #[error("`{method}` is not described by the ABI ({reason}): pass its arguments as SCALE hex")]
    Undescribed {
        /// The method.
        method: String,
        /// Why its type was refused.
        reason: String,
    },
    /// The event has a field of a type the ABI does not describe: its data is bytes only.
    #[error("event `{event}` is not described by the ABI ({reason})")]
    UndescribedEvent {
        /// The event.
        event: String,
        /// Why a field's type was refused.
        reason: String,
    },
    /// Wrong number of arguments.
    #[error("`{method}` takes {expected} argument(s), got {got}")]
    ArgumentCount {
        /// The method.
        method: String,
        /// How many it takes.
        expected: usize,
        /// How many were given.
        got: usize,
    },
    /// A JSON value does not fit the type.
    #[error("{at}expected {expected}, got {got}")]
    Json {
        /// Where (`field: `), or empty.
        at: String,
        /// What the type wants.
        expected: String,
        /// What was given.
        got: String,
    },
    /// SCALE bytes do not decode as the type.
    #[error("{at}bytes do not decode as {ty}")]
    Scale {
        /// Where (`field: `), or empty.
        at: String,
        /// The type.
        ty: String,
    },
    /// Bytes left after decoding.
    #[error("{0} byte(s) left after decoding")]
    TrailingBytes(usize),
    /// An indexed field has no topic.
    #[error("the event has no topic for `{0}`")]
    MissingTopic(String),
}

impl AbiError {
    /// The error, located at field `name`.
    pub(crate) fn in_field(self, name: &str) -> Self {
        match self {
            Self::Json { at, expected, got } => Self::Json {
                at: format!("{name}: {at}"),
                expected,
                got,
            },
            Self::Scale { at, ty } => Self::Scale {
                at: format!("{name}: {at}"),
                ty,
            },
            other => other,
        }
    }
}
