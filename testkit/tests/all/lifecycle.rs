//! `contracts/factory`, `contracts/upgradeable` and `upgradeable-v2` on the test kit: code
//! uploaded once, contracts created by a contract, an owner-only upgrade with a migration that
//! rewrites the storage layout, and the call trees they leave.

use serde_json::json;
use weft_primitives::{Address, FrameKind, FrameStatus, keccak256_concat};
use weft_testkit::{Failure, Hash, TestChain, artifact};

#[test]
fn the_factory_creates_counters_from_stored_code_at_their_documented_addresses() {
    let chain = TestChain::new();
    let alice = chain.account("alice");
    let counter_code = chain.upload(artifact("counter")).unwrap();
    assert_eq!(counter_code, weft_primitives::keccak256(&artifact("counter")));
    let factory = chain
        .deploy(artifact("factory"))
        .args(counter_code)
        .send()
        .unwrap();

    let salt = Hash([7; 32]);
    let predicted = factory.view::<Address>("address_of").args(salt).get();
    let created = factory.call("create").args((salt, 41u64)).send().unwrap();
    let child = created.decode::<Address>();
    let derivation = keccak256_concat(&[
        b"weft:created:v1",
        factory.address().as_bytes(),
        counter_code.as_bytes(),
        salt.as_bytes(),
    ]);
    assert_eq!(
        child,
        Address(derivation.0),
        "keccak256(\"weft:created:v1\" ‖ factory ‖ code ‖ salt)"
    );
    assert_eq!(child, predicted);
    assert_eq!(
        child,
        Address::for_created(&factory.address(), &counter_code, &salt)
    );
    created.assert_event(
        "Created",
        json!({"child": child.to_string(), "by": alice, "index": 0}),
    );

    // The child is a counter like any other, started at 41.
    let counter = chain.at(child);
    assert_eq!(counter.view::<u64>("get").get(), 41);
    counter.call("increment").send().unwrap();
    assert_eq!(counter.view::<u64>("get").get(), 42);
    assert_eq!(factory.view::<Vec<Address>>("children").get(), vec![child]);

    // The trace: the factory's frame with the creation nested, gas per frame.
    let root = created.trace().calls.as_ref().unwrap();
    let creation = root.children().next().unwrap();
    assert_eq!(
        (creation.kind, creation.contract, creation.status),
        (FrameKind::Create, child, FrameStatus::Success)
    );
    assert!(creation.gas_used > 0 && creation.gas_used < root.gas_used);
    let tree = created.call_tree();
    assert!(tree.contains("call Factory::create"), "{tree}");
    assert!(tree.contains("create Counter::deploy"), "{tree}");
    assert!(tree.contains("emit Created"), "{tree}");

    // The same salt again is refused, and the factory reverts with why; nothing changes.
    let again = factory.call("create").args((salt, 5u64)).send();
    assert!(
        matches!(&again, Err(Failure::Revert { message, .. }) if message.starts_with("creation refused")),
        "{again:?}"
    );
    assert_eq!(counter.view::<u64>("get").get(), 42);
    assert_eq!(factory.view::<Vec<Address>>("children").get(), vec![child]);

    // Another salt, another counter; the code is stored once for both.
    let second = factory.call("create").args((Hash([8; 32]), 0u64)).send().unwrap();
    assert_ne!(second.decode::<Address>(), child);
    assert_eq!(factory.view::<Vec<Address>>("children").get().len(), 2);
}

#[test]
fn a_failed_constructor_leaves_no_contract() {
    let chain = TestChain::new();
    // The factory's children are factories: their constructor takes a Hash, so a u64 start
    // does not decode and the child's constructor reverts.
    let factory_code = chain.upload(artifact("factory")).unwrap();
    let factory = chain
        .deploy(artifact("factory"))
        .args(factory_code)
        .send()
        .unwrap();
    let salt = Hash([1; 32]);
    let child = factory.view::<Address>("address_of").args(salt).get();
    let failed = factory.call("create").args((salt, 1u64)).send();
    assert!(
        matches!(&failed, Err(Failure::Revert { message, .. }) if message.contains("constructor reverted: invalid arguments")),
        "{failed:?}"
    );
    assert_eq!(chain.storage(child, b"child_code"), None);
    assert_eq!(chain.balance(child), 0);
    assert!(factory.view::<Vec<Address>>("children").get().is_empty());
}

#[test]
fn only_the_owner_upgrades_and_the_migration_rewrites_the_layout() {
    let chain = TestChain::new();
    let (owner, mallory) = (chain.account("alice"), chain.account("mallory"));
    let v2 = chain.upload(artifact("upgradeable_v2")).unwrap();
    let contract = chain
        .deploy(artifact("upgradeable"))
        .args(21u64)
        .from(&owner)
        .send()
        .unwrap();
    assert_eq!(contract.view::<u32>("version").get(), 1);
    assert_eq!(contract.view::<Address>("owner").get(), owner.address());
    let scale = parity_scale_codec::Encode::encode(&(1_000u64,));

    // Not the owner: refused, nothing changes.
    let refused = contract
        .call("upgrade_to")
        .args((v2, scale.clone()))
        .from(&mallory)
        .send();
    assert!(
        matches!(&refused, Err(Failure::Revert { message, .. }) if message == "only the owner can upgrade"),
        "{refused:?}"
    );
    assert_eq!(contract.view::<u32>("version").get(), 1);

    // A migration that fails (scale 0) undoes the upgrade.
    let zero = parity_scale_codec::Encode::encode(&(0u64,));
    let failed = contract.call("upgrade_to").args((v2, zero)).from(&owner).send();
    assert!(
        matches!(&failed, Err(Failure::Revert { message, .. }) if message == "scale must be positive"),
        "{failed:?}"
    );
    assert_eq!(contract.view::<u32>("version").get(), 1);
    assert_eq!(contract.view::<u64>("get").get(), 21);

    // The owner upgrades: v2's `migrate` moves the u64 under `value` into a u128 under `balance`.
    let upgraded = contract
        .call("upgrade_to")
        .args((v2, scale))
        .from(&owner)
        .send()
        .unwrap();
    upgraded.assert_event("Migrated", json!({"from": 21, "to": 21_000}));
    upgraded.assert_event("Upgraded", json!({"code_hash": v2.to_string()}));
    assert_eq!(contract.view::<u32>("version").get(), 2);
    assert_eq!(contract.view::<u128>("get").get(), 21_000);
    assert_eq!(contract.storage(b"value"), None, "the old layout is gone");
    assert_eq!(
        contract.view::<Address>("owner").get(),
        owner.address(),
        "state is kept"
    );
    let migration = upgraded
        .trace()
        .calls
        .as_ref()
        .unwrap()
        .children()
        .next()
        .unwrap();
    assert_eq!(
        (migration.kind, migration.entry.as_str()),
        (FrameKind::Migrate, "migrate")
    );
    // Frames are labelled by contract (the label it was deployed with), whatever code it runs.
    assert!(
        upgraded.call_tree().contains("migrate Upgradeable::migrate"),
        "{}",
        upgraded.call_tree()
    );

    // `migrate` is no entry point: nobody calls it from outside.
    let direct = contract.call("migrate").args(1u64).send();
    assert!(
        matches!(&direct, Err(Failure::Trap { message, .. }) if message.contains("runs only in an upgrade")),
        "{direct:?}"
    );
}

#[test]
fn a_nested_call_shows_in_the_trace_with_gas_per_frame() {
    let chain = TestChain::new();
    let alice = chain.account("alice");
    let (token, caller) = crate::caller::token_and_caller(&chain);
    token
        .call("transfer")
        .args((caller.address(), 10u128))
        .from(&alice)
        .send()
        .unwrap();
    let refused = caller
        .call("try_transfer")
        .args((alice.address(), 11u128))
        .send()
        .unwrap();
    let root = refused.trace().calls.as_ref().unwrap();
    let transfer = root.children().next().unwrap();
    assert_eq!(
        (transfer.contract, transfer.entry.as_str()),
        (token.address(), "transfer")
    );
    assert_eq!(transfer.status, FrameStatus::Revert);
    assert_eq!(root.status, FrameStatus::Success);
    let tree = refused.call_tree();
    let lines: Vec<&str> = tree.lines().collect();
    assert!(
        lines[0].contains("call Caller::try_transfer") && lines[0].contains("→ success"),
        "{tree}"
    );
    assert!(
        lines[1].starts_with("├─ [") && lines[1].contains("call Token::transfer"),
        "{tree}"
    );
    assert!(lines[1].contains("→ revert"), "{tree}");
    assert!(
        tree.contains(&format!("[{}/", transfer.gas_used)),
        "gas per frame: {tree}"
    );
    assert!(tree.contains("emit TransferFailed"), "{tree}");
}
