//! The ABI that `weft-sdk`'s macros wrote into the committed contract artifacts.

use serde_json::json;
use weft_abi::{Abi, AbiError, AbiType};
use weft_primitives::{Address, Event, Hash, keccak256, scale::Encode};

const TOKEN: &[u8] = include_bytes!("../../contracts/artifacts/token.wasm");
const ESCROW: &[u8] = include_bytes!("../../contracts/artifacts/escrow.wasm");
const PROBE: &[u8] = include_bytes!("../../contracts/artifacts/policy_probe.wasm");

#[test]
fn the_token_describes_its_methods_and_events() {
    let abi = Abi::from_wasm(TOKEN).unwrap().unwrap();
    assert_eq!(abi.contract.as_deref(), Some("Token"));
    let names: Vec<_> = abi.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "new",
            "name",
            "symbol",
            "decimals",
            "total_supply",
            "balance_of",
            "allowance",
            "transfer",
            "approve",
            "transfer_from"
        ]
    );
    let new = abi.constructor().unwrap();
    assert_eq!((new.export(), new.payable), ("deploy", false));
    assert_eq!(abi.method("deploy").unwrap(), new);

    let transfer = abi.method("transfer").unwrap();
    assert_eq!(transfer.returns, Some(AbiType::Bool));
    let bob = Address([0xb0; 32]);
    let input = transfer
        .encode_args(&[json!(bob.to_string()), json!("250")])
        .unwrap();
    assert_eq!(input, (bob, 250u128).encode());
    assert_eq!(transfer.decode_return(&true.encode()).unwrap(), json!(true));
    assert!(matches!(
        transfer.encode_args(&[json!(bob.to_string())]),
        Err(AbiError::ArgumentCount {
            expected: 2,
            got: 1,
            ..
        })
    ));
    let error = transfer
        .encode_args(&[json!("0x12"), json!(1)])
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("to: expected 32 bytes"), "{error}");

    let event = abi.event("Transfer").unwrap();
    assert_eq!(event.signature, "Transfer(Address,Address,u128)");
    assert_eq!(event.topic(), keccak256(b"Transfer(Address,Address,u128)"));
    let alice = Address([0xa1; 32]);
    let emitted = Event {
        address: Address::ZERO,
        topics: vec![event.topic(), Hash(alice.0), Hash(bob.0)],
        data: 250u128.encode(),
    };
    let decoded = abi.decode_event(&emitted).unwrap().unwrap();
    assert_eq!(decoded.name, "Transfer");
    assert_eq!(
        serde_json::Value::Object(decoded.fields),
        json!({"from": alice.to_string(), "to": bob.to_string(), "amount": "250"})
    );
    assert!(abi.event("Approval").is_some());
}

#[test]
fn payable_methods_and_modules_without_an_abi() {
    let escrow = Abi::from_wasm(ESCROW).unwrap().unwrap();
    let payable: Vec<_> = escrow
        .methods
        .iter()
        .filter(|m| m.payable)
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(payable, ["new", "deposit"]);
    let status = escrow.method("status").unwrap().returns.clone().unwrap();
    assert_eq!(status.to_string(), "(Address,Address,Address,u64,u128,bool)");
    assert_eq!(Abi::from_wasm(PROBE).unwrap(), None);
    assert!(matches!(
        Abi::from_wasm(b"\0asm\x01\0\0\0\x07"),
        Err(AbiError::Wasm(_))
    ));
    assert!(matches!(
        Abi::from_section(b"{\"contract\": 1}"),
        Err(AbiError::Section(_))
    ));
    // An event with a type the ABI does not describe stays known by name and topic.
    let odd =
        Abi::from_section(br#"{"event":"E","signature":"E(f32)","fields":[{"name":"x","type":"f32"}]}"#)
            .unwrap();
    assert_eq!(
        odd.event("E").unwrap().undescribed.as_deref(),
        Some("unsupported ABI type `f32`")
    );
}

#[test]
fn the_migration_is_described_and_found_by_its_export() {
    let abi = Abi::from_wasm(include_bytes!("../../contracts/artifacts/upgradeable_v2.wasm"))
        .unwrap()
        .unwrap();
    let migration = abi.migration().unwrap();
    assert_eq!(
        (migration.name.as_str(), migration.export()),
        ("migrate", "migrate")
    );
    assert!(migration.migrate && !migration.init);
    assert_eq!(
        migration.args[0].ty,
        AbiType::Int {
            bits: 64,
            signed: false
        }
    );
    assert_eq!(abi.method("migrate").unwrap(), migration);
    assert!(
        abi.constructor().is_none(),
        "version 2 is reached by an upgrade, not deployed"
    );
    let v1 = Abi::from_wasm(include_bytes!("../../contracts/artifacts/upgradeable.wasm"))
        .unwrap()
        .unwrap();
    assert!(v1.migration().is_none());
    assert_eq!(v1.constructor().unwrap().export(), "deploy");
}
