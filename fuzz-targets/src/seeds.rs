//! Inputs each target starts from: real encodings and documents that reach past the first
//! checks, for libFuzzer's corpus and the smoke test.

use parity_scale_codec::Encode;
use weft_primitives::{
    Action, Address, Block, BlockHeader, CallTrace, Event, ExecStatus, FrameKind, FrameStatus, Hash,
    HostCallCount, Receipt, SigningKey, Trace, TraceStep, Transaction, TrapDetail, TrapKind,
};

const COUNTER: &[u8] = include_bytes!("../../contracts/artifacts/counter.wasm");
const TOKEN: &[u8] = include_bytes!("../../contracts/artifacts/token.wasm");

/// The token's `weft_abi` section as it is in the artifact.
fn token_section() -> Vec<u8> {
    let mut section = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(TOKEN).flatten() {
        if let wasmparser::Payload::CustomSection(reader) = payload
            && reader.name() == weft_abi::SECTION
        {
            section.extend_from_slice(reader.data());
        }
    }
    section
}

fn with_length_prefix(section: &[u8], value: &[u8]) -> Vec<u8> {
    let len = u16::try_from(section.len()).unwrap_or(u16::MAX);
    [&len.to_le_bytes()[..], section, value].concat()
}

fn signed_transactions() -> Vec<weft_primitives::SignedTransaction> {
    let key = SigningKey::from_bytes(&[7; 32]);
    let tx = |nonce, action| {
        Transaction {
            chain_id: 1337,
            signer: Transaction::signer_of(&key),
            nonce,
            gas_limit: 1_000_000,
            gas_price: 1,
            value: 5,
            action,
        }
        .sign(&key)
    };
    vec![
        tx(0, Action::Transfer { to: Address([2; 32]) }),
        tx(
            1,
            Action::Call {
                to: Address([3; 32]),
                method: "transfer".into(),
                args: vec![1, 2, 3],
            },
        ),
        tx(
            2,
            Action::Deploy {
                code: COUNTER[..64].to_vec(),
                init_args: vec![],
                salt: Hash([9; 32]),
            },
        ),
        tx(
            3,
            Action::Upload {
                code: COUNTER[..64].to_vec(),
            },
        ),
        tx(
            4,
            Action::Instantiate {
                code_hash: Hash([7; 32]),
                init_args: vec![5],
                salt: Hash([9; 32]),
            },
        ),
    ]
}

/// The seeds of target `name` (empty for an unknown name).
pub fn seeds(name: &str) -> Vec<Vec<u8>> {
    match name {
        "prepare_and_run" => vec![
            [&[0u8][..], COUNTER].concat(),
            [&[0u8][..], TOKEN].concat(),
            [1u8; 256].to_vec(),
        ],
        "abi" => vec![
            with_length_prefix(&token_section(), &250u128.encode()),
            with_length_prefix(&token_section(), &(Address([1; 32]), 7u128).encode()),
            with_length_prefix(
                br#"{"contract":"C","methods":[{"name":"f","args":[{"name":"x","type":"Vec<Option<(u8,String)>>"}],"returns":"Result<(),String>"}]}"#,
                &vec![Some((1u8, "a".to_string())), None].encode(),
            ),
        ],
        "abi_json" => [
            "u128\n\"340282366920938463463374607431768211455\"",
            "Vec<u8>\n\"0x0102\"",
            "(Address,u64)\n[\"0x0101010101010101010101010101010101010101010101010101010101010101\",7]",
            "Option<Option<()>>\nnull",
            "Result<Vec<i16>,String>\n{\"Ok\":[-1,2]}",
            "[u32;3]\n[1,2,3]",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect(),
        "chain_data" => {
            let txs = signed_transactions();
            let header = BlockHeader {
                parent_hash: Hash([1; 32]),
                height: 3,
                timestamp: 1_700_000_000,
                state_root: Hash([2; 32]),
                tx_root: Block::tx_root(&txs),
                receipt_root: Hash::ZERO,
                gas_used: 21,
                gas_limit: 30_000_000,
            };
            let receipt = Receipt {
                tx_hash: txs[0].hash(),
                status: ExecStatus::Trap {
                    kind: TrapKind::HostError,
                },
                gas_used: 7,
                return_data: vec![1],
                events: vec![Event {
                    address: Address([4; 32]),
                    topics: vec![Hash([5; 32])],
                    data: vec![6],
                }],
                first_log_index: 2,
                contract_address: Some(Address([8; 32])),
            };
            let trace = Trace {
                trap: Some(TrapDetail {
                    function: Some("f".into()),
                    message: "no".into(),
                }),
                logs: vec!["hello".into()],
                calls: Some(CallTrace {
                    kind: FrameKind::Call,
                    caller: Address([1; 32]),
                    contract: Address([3; 32]),
                    entry: "transfer".into(),
                    value: 0,
                    input_len: 3,
                    output_len: 0,
                    gas_limit: 1_000,
                    gas_used: 7,
                    status: FrameStatus::Trap {
                        kind: TrapKind::HostError,
                    },
                    trap: None,
                    host_calls: vec![HostCallCount {
                        name: "input".into(),
                        count: 1,
                    }],
                    steps: vec![TraceStep::Log("hello".into())],
                }),
            };
            let mut seeds: Vec<Vec<u8>> = txs.iter().map(|tx| [&[0u8][..], &tx.encode()].concat()).collect();
            let block = Block {
                header,
                transactions: txs,
            };
            seeds.push([&[1u8][..], &block.encode()].concat());
            seeds.push([&[2u8][..], &receipt.encode()].concat());
            seeds.push([&[3u8][..], &trace.encode()].concat());
            seeds
        }
        "rpc_params" => [
            "\0{\"to\":\"0x0101010101010101010101010101010101010101010101010101010101010101\",\"method\":\"transfer\",\"args\":[\"0x0202020202020202020202020202020202020202020202020202020202020202\",\"250\"]}",
            "\u{1}{\"from\":\"alice\",\"code\":\"0x0061736d\",\"args\":\"0x00\",\"salt\":\"0x00\"}",
            "\u{2}{\"from_block\":1,\"to_block\":9,\"address\":[\"0x01\"],\"topics\":[null,\"0x02\"]}",
            "\u{3}[{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"weft_chainId\"},{\"jsonrpc\":\"2.0\",\"method\":\"weft_getBlockByNumber\",\"params\":{\"height\":0,\"x\":1}}]",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect(),
        "host_calls" => {
            // storage_write(0, 4, 0, 8), then storage_read(0, 4, 1), then read_register(1, 64).
            let record = |selector: u8, args: &[i32]| {
                let mut r = vec![selector];
                for k in 0..8 {
                    r.extend_from_slice(&args.get(k).copied().unwrap_or(0).to_le_bytes());
                }
                r
            };
            let index = |name: &str| {
                weft_host::HOST_FUNCTIONS
                    .iter()
                    .position(|f| f.name == name)
                    .and_then(|i| u8::try_from(i).ok())
                    .unwrap_or(0)
            };
            vec![
                [
                    record(index("storage_write"), &[0, 4, 0, 8]),
                    record(index("storage_read"), &[0, 4, 1]),
                    record(index("read_register"), &[1, 64]),
                    record(index("keccak256"), &[0, 33, 128]),
                    record(index("emit_event"), &[0, 1, 0, 16]),
                ]
                .concat(),
                record(index("debug_log"), &[-8, 16]),
            ]
        }
        _ => Vec::new(),
    }
}
