//! The `weft` client commands end to end: the real binary against a real `weft node --dev` over
//! a real socket — the README's session (deploy the token, transfer, read the balance and the
//! Transfer event), failures with non-zero exit codes, `keys` and `inspect`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use weft_chain::dev_accounts;

use crate::support::{Devnet, WEFT};

/// Runs `weft ARGS` against `url` with a private key store.
pub(crate) fn weft(url: &str, keys: &Path, args: &[&str]) -> Output {
    Command::new(WEFT)
        .args(args)
        .env("WEFT_RPC", url)
        .env("WEFT_KEYS_DIR", keys)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub(crate) fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "weft failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}

pub(crate) fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap()
}

pub(crate) fn artifact(name: &str) -> String {
    format!(
        "{}/../contracts/artifacts/{name}.wasm",
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests")
    )
}

#[test]
fn the_readme_session_deploy_transfer_balance_and_event() {
    let node = Devnet::start(&["--ephemeral"]);
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft(&node.url, keys.path(), args);
    let bob = dev_accounts()[1].address.to_string();

    let token = stdout(&run(&[
        "deploy",
        &artifact("token"),
        "Weft Token",
        "WFT",
        "6",
        "1000000",
        "--from",
        "alice",
    ]));
    assert!(
        token.len() == 66 && token.starts_with("0x") && token[2..].chars().all(|c| c.is_ascii_hexdigit()),
        "the address alone on stdout: {token:?}"
    );

    let sent = json(&run(&[
        "call", &token, "transfer", "bob", "250", "--from", "alice", "--json",
    ]));
    assert_eq!(
        (sent["status"].as_str(), &sent["returned"]),
        (Some("success"), &Value::Bool(true))
    );
    assert_eq!(sent["events"][0]["event"], "Transfer");
    assert_eq!(sent["events"][0]["fields"]["to"], bob.as_str());
    assert_eq!(sent["events"][0]["fields"]["amount"], "250");

    assert_eq!(stdout(&run(&["view", &token, "balance_of", "bob"])), "250");
    assert_eq!(stdout(&run(&["view", &token, "balance_of", &bob])), "250");
    assert_eq!(stdout(&run(&["view", &token, "name"])), "Weft Token");

    let logs = json(&run(&[
        "logs",
        "--address",
        &token,
        "--event",
        "Transfer",
        "--json",
    ]));
    let logs = logs.as_array().unwrap();
    assert_eq!(logs.len(), 2, "the mint and the transfer: {logs:?}");
    assert_eq!(logs[1]["fields"]["amount"], "250");
    assert_eq!(logs[1]["tx_hash"], sent["tx_hash"]);
    let human = stdout(&run(&["logs", "--address", &token]));
    assert_eq!(human.lines().count(), 2, "{human}");
    assert!(human.lines().all(|l| l.contains("Transfer {")), "{human}");

    let receipt = json(&run(&["receipt", sent["tx_hash"].as_str().unwrap(), "--json"]));
    assert_eq!(
        receipt["returned"],
        Value::Bool(true),
        "the method is found from the transaction"
    );
    let tx = json(&run(&["tx", sent["tx_hash"].as_str().unwrap(), "--json"]));
    assert_eq!(
        (tx["method"].as_str(), tx["block_height"].as_u64()),
        (Some("transfer"), Some(2))
    );
    let block = json(&run(&["block", "2", "--json"]));
    assert_eq!(block["transactions"][0], sent["tx_hash"]);
    assert_eq!(json(&run(&["block", "--json"]))["height"], block["height"]);

    // Value transfers, balances and nonces.
    let before: u128 = stdout(&run(&["balance", "carol"])).parse().unwrap();
    stdout(&run(&["send", "carol", "1000", "--from", "alice"]));
    let after: u128 = stdout(&run(&["balance", "carol"])).parse().unwrap();
    assert_eq!(after - before, 1000);
    assert_eq!(stdout(&run(&["nonce", "alice"])), "3");
}

#[test]
fn failures_exit_non_zero_with_the_reason() {
    let node = Devnet::start(&["--ephemeral"]);
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft(&node.url, keys.path(), args);
    let token = stdout(&run(&[
        "deploy",
        &artifact("token"),
        "T",
        "T",
        "0",
        "10",
        "--from",
        "alice",
    ]));

    let overdraft = run(&["call", &token, "transfer", "alice", "11", "--from", "bob"]);
    assert!(!overdraft.status.success());
    let stderr = String::from_utf8_lossy(&overdraft.stderr);
    assert!(
        stderr.contains("insufficient balance") && stderr.contains("-32003"),
        "{stderr}"
    );

    // Forced through with a gas limit, it is mined and fails: the receipt says why.
    let mined = run(&[
        "call", &token, "transfer", "alice", "11", "--from", "bob", "--gas", "500000",
    ]);
    assert!(!mined.status.success());
    assert!(String::from_utf8_lossy(&mined.stdout).contains("revert"));
    let stderr = String::from_utf8_lossy(&mined.stderr);
    assert!(stderr.contains("revert: insufficient balance"), "{stderr}");

    for (args, expected) in [
        (
            vec!["call", token.as_str(), "transfer", "bob", "--from", "alice"],
            "takes 2 argument",
        ),
        (
            vec!["call", token.as_str(), "mint", "--from", "alice"],
            "no method `mint`",
        ),
        (
            vec!["view", token.as_str(), "balance_of", "nobody"],
            "not an address",
        ),
        (vec!["send", "bob", "1", "--from", "mallory"], "not a dev account"),
        (
            vec!["balance", "bob", "--rpc", "http://127.0.0.1:1"],
            "cannot reach the node",
        ),
    ] {
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn keys_and_inspect_work_without_a_node() {
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft("http://127.0.0.1:1", keys.path(), args);
    let created = json(&run(&["keys", "new", "deployer", "--json"]));
    let again = run(&["keys", "new", "deployer"]);
    assert!(!again.status.success(), "a stored key is never overwritten");
    let secret = format!("0x{}", hex::encode([7u8; 32]));
    let imported = stdout(&run(&["keys", "import", "seven", &secret]));
    let list = json(&run(&["keys", "list", "--json"]));
    let stored: Vec<(&str, &str)> = list["stored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["name"].as_str().unwrap(), k["address"].as_str().unwrap()))
        .collect();
    assert_eq!(
        stored,
        vec![
            ("deployer", created["address"].as_str().unwrap()),
            ("seven", imported.as_str())
        ]
    );
    assert_eq!(list["dev"].as_array().unwrap().len(), 10);

    let token = json(&run(&["inspect", &artifact("token"), "--json"]));
    assert_eq!(
        (token["accepted"].as_bool(), token["abi"]["contract"].as_str()),
        (Some(true), Some("Token"))
    );
    assert!(
        token["abi"]["methods"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "transfer(to: Address, amount: u128) -> bool")
    );
    assert!(
        token["entry_points"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "deploy")
    );
    assert!(token["instrumented_size"].as_u64().unwrap() > token["size"].as_u64().unwrap());

    // A module the policy refuses: inspect says why and exits non-zero.
    let floats = tempfile::NamedTempFile::new().unwrap();
    let wasm =
        wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "f") (drop (f32.const 1))))"#)
            .unwrap();
    std::fs::write(floats.path(), wasm).unwrap();
    let refused = run(&["inspect", floats.path().to_str().unwrap()]);
    assert!(!refused.status.success());
    let text = String::from_utf8_lossy(&refused.stdout);
    assert!(
        text.contains("accepted") && text.contains("no") && text.to_lowercase().contains("float"),
        "{text}"
    );
}

#[test]
fn quick_sends_take_the_pending_nonce_and_wait_0_returns_the_hash() {
    let node = Devnet::start(&["--ephemeral", "--block-time", "2"]);
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft(&node.url, keys.path(), args);
    // Two sends before a block is mined: the second signs after the first, not with its nonce.
    let first = stdout(&run(&["send", "bob", "1", "--from", "alice", "--wait", "0"]));
    let second = stdout(&run(&["send", "bob", "2", "--from", "alice", "--wait", "0"]));
    for hash in [&first, &second] {
        assert!(
            hash.len() == 66 && hash.starts_with("0x"),
            "the hash alone: {hash:?}"
        );
    }
    assert_ne!(first, second);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    for hash in [&first, &second] {
        loop {
            let receipt = run(&["receipt", hash, "--json"]);
            if receipt.status.success() {
                assert_eq!(json(&receipt)["status"], "success");
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{hash} was never mined");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
    assert_eq!(stdout(&run(&["nonce", "alice"])), "2");

    // `send` takes its amount as an argument: a --value beside it is refused, not ignored.
    let both = run(&["send", "bob", "1", "--value", "5", "--from", "alice"]);
    assert!(!both.status.success());
    assert!(String::from_utf8_lossy(&both.stderr).contains("takes the amount as its argument"));
}

#[test]
fn errors_a_person_can_act_on_and_a_closed_pipe_ends_quietly() {
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft("http://127.0.0.1:1", keys.path(), args);
    // No node there.
    let unreachable = run(&["balance", "bob"]);
    let stderr = String::from_utf8_lossy(&unreachable.stderr);
    assert!(
        stderr.contains("cannot reach the node at http://127.0.0.1:1") && stderr.contains("weft node --dev"),
        "{stderr}"
    );
    // WAT text where wasm is wanted.
    let dir = tempfile::tempdir().unwrap();
    let wat = dir.path().join("c.wat");
    std::fs::write(&wat, "(module)").unwrap();
    let refused = run(&["inspect", wat.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("WAT text is not accepted"));
    // The RPC address taken by another node.
    let node = Devnet::start(&["--ephemeral"]);
    let addr = node.url.trim_start_matches("http://").to_owned();
    let second = Command::new(WEFT)
        .args(["node", "--dev", "--ephemeral", "--rpc-addr", &addr])
        .output()
        .unwrap();
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("is in use") && stderr.contains("--rpc-addr"),
        "{stderr}"
    );
    // A reader that closes the pipe: the command ends with 141, not a panic.
    let mut child = Command::new(WEFT)
        .args(["inspect", &artifact("token")])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(141), "{output:?}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn the_commands_cast_and_anvil_users_reach_for() {
    let node = Devnet::start(&["--ephemeral", "--manual"]);
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft(&node.url, keys.path(), args);
    // Devnet controls.
    assert_eq!(stdout(&run(&["mine", "3"])), "3");
    let id = stdout(&run(&["snapshot"]));
    assert_eq!(stdout(&run(&["mine"])), "4");
    assert_eq!(stdout(&run(&["increase-time", "60"])), "60");
    assert_eq!(stdout(&run(&["revert", &id])), "3");
    assert_eq!(
        stdout(&run(&["increase-time", "0"])),
        "0",
        "the clock came back with the chain"
    );
    assert_eq!(stdout(&run(&["set-balance", "carol", "12345"])), "12345");
    assert_eq!(stdout(&run(&["balance", "carol"])), "12345");
    // Any method, with JSON parameters.
    let head = json(&run(&["rpc", "weft_getBlockByNumber", "[3]"]));
    assert_eq!(head["height"], 3);
    assert_eq!(json(&run(&["rpc", "weft_chainId"])), serde_json::json!(1337));
    let named = json(&run(&["rpc", "weft_getBalance", r#"{"address": "carol"}"#]));
    assert_eq!(named, serde_json::json!("12345"));
    let bad = run(&["rpc", "weft_getBlockByNumber", "[oops]"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("not JSON"));
    // A contract's code and storage, and a file's ABI.
    let counter = stdout(&run(&[
        "deploy",
        &artifact("counter"),
        "41",
        "--from",
        "alice",
        "--wait",
        "0",
    ]));
    assert!(
        counter.starts_with("0x"),
        "--wait 0 prints the transaction hash: {counter}"
    );
    stdout(&run(&["mine"]));
    let address =
        weft_primitives::Address::for_contract(&dev_accounts()[0].address, 0, &weft_primitives::Hash::ZERO);
    let address = address.to_string();
    let code = stdout(&run(&["code", &address]));
    assert_eq!(
        code.len(),
        2 + 2 * std::fs::read(artifact("counter")).unwrap().len()
    );
    assert_eq!(
        stdout(&run(&["storage", &address, "count"])),
        format!("0x{}", hex::encode(41u64.to_le_bytes()))
    );
    assert_eq!(stdout(&run(&["storage", &address, "nothing"])), "null");
    // A view at a past block sees the state of then.
    let deployed_at = stdout(&run(&["rpc", "weft_blockNumber"]));
    stdout(&run(&[
        "call",
        &address,
        "increment",
        "--from",
        "alice",
        "--wait",
        "0",
    ]));
    stdout(&run(&["mine"]));
    assert_eq!(stdout(&run(&["view", &address, "get"])), "42");
    assert_eq!(
        stdout(&run(&["view", &address, "get", "--block", &deployed_at])),
        "41"
    );
    // The gas a call needs: a transaction with exactly that limit succeeds.
    let gas = stdout(&run(&["estimate", &address, "increment", "--from", "alice"]));
    assert!(gas.parse::<u64>().unwrap() > 50_000, "{gas}");
    let exact = run(&[
        "call",
        &address,
        "increment",
        "--from",
        "alice",
        "--gas",
        &gas,
        "--wait",
        "0",
    ]);
    stdout(&exact);
    stdout(&run(&["mine"]));
    assert_eq!(stdout(&run(&["view", &address, "get"])), "43");
    // A block as text: its fields, then a line per transaction.
    let block = stdout(&run(&["block"]));
    assert!(
        block
            .lines()
            .any(|l| l.starts_with("gas used") && l.contains(" of ")),
        "{block}"
    );
    assert!(
        block
            .lines()
            .any(|l| l.starts_with("  0x") && l.contains("::increment")),
        "{block}"
    );
    assert!(!block.contains("null"), "{block}");
    let abi = json(&run(&["abi", &artifact("counter")]));
    assert_eq!(abi["contract"], "Counter");
    assert_eq!(abi["methods"][0]["export"], "deploy");
    assert_eq!(abi["methods"][0]["args"][0]["type"], "u64");
}

#[test]
fn structs_and_enums_go_in_and_out_as_json() {
    let node = Devnet::start(&["--ephemeral"]);
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft(&node.url, keys.path(), args);
    let abi = json(&run(&["abi", &artifact("escrow")]));
    assert_eq!(abi["types"][0]["type"], "Terms");
    assert_eq!(abi["types"][1]["variants"][1]["name"], "Settled");
    let escrow = stdout(&run(&[
        "deploy",
        &artifact("escrow"),
        "bob",
        "carol",
        "4000000000",
        "--from",
        "alice",
        "--value",
        "700",
    ]));
    let accounts = dev_accounts();
    let terms = json(&run(&["view", &escrow, "terms"]));
    assert_eq!(
        terms,
        serde_json::json!({
            "depositor": accounts[0].address.to_string(),
            "beneficiary": accounts[1].address.to_string(),
            "arbiter": accounts[2].address.to_string(),
            "release_after": 4_000_000_000u64,
        })
    );
    let phase = json(&run(&["view", &escrow, "phase"]));
    assert_eq!(
        phase,
        serde_json::json!({"Open": {"held": "700", "releasable": false}})
    );
}

#[test]
fn abi_encode_and_decode_need_no_node() {
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft("http://127.0.0.1:1", keys.path(), args);
    let token = artifact("token");
    let bob = dev_accounts()[1].address;
    let input = stdout(&run(&["abi", &token, "encode", "transfer", "bob", "250"]));
    assert_eq!(
        input,
        format!("0x{}{}", hex::encode(bob.0), hex::encode(250u128.to_le_bytes()))
    );
    let back = json(&run(&["abi", &token, "decode", "transfer", &input, "--args"]));
    assert_eq!(back, serde_json::json!([bob.to_string(), "250"]));
    let balance = format!("0x{}", hex::encode(250u128.to_le_bytes()));
    assert_eq!(
        json(&run(&["abi", &token, "decode", "balance_of", &balance])),
        serde_json::json!("250")
    );
    // An enum's variant with fields, from its SCALE bytes.
    let open = format!("0x00{}01", hex::encode(9u128.to_le_bytes()));
    assert_eq!(
        json(&run(&["abi", &artifact("escrow"), "decode", "phase", &open])),
        serde_json::json!({"Open": {"held": "9", "releasable": true}})
    );
    let short = run(&["abi", &token, "decode", "balance_of", "0x01"]);
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr).contains("bytes do not decode as u128"),
        "{}",
        String::from_utf8_lossy(&short.stderr)
    );
}

#[test]
fn logs_follow_prints_new_matching_logs_as_blocks_come() {
    use std::io::BufRead;

    let node = Devnet::start(&["--ephemeral"]);
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft(&node.url, keys.path(), args);
    let token = stdout(&run(&[
        "deploy",
        &artifact("token"),
        "Weft",
        "WFT",
        "6",
        "1000",
        "--from",
        "alice",
    ]));
    let mut follower = Command::new(WEFT)
        .args([
            "logs",
            "--follow",
            "--json",
            "--address",
            &token,
            "--event",
            "Transfer",
        ])
        .args(["--topic2", "bob", "--poll-ms", "100"])
        .env("WEFT_RPC", &node.url)
        .env("WEFT_KEYS_DIR", keys.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(follower.stdout.take().unwrap()).lines();
    let (sender, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines {
            if sender.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    for (to, amount) in [("bob", "5"), ("carol", "7"), ("bob", "9")] {
        stdout(&run(&["call", &token, "transfer", to, amount, "--from", "alice"]));
    }
    let bob = dev_accounts()[1].address.to_string();
    let mut amounts = Vec::new();
    for _ in 0..2 {
        let line = received
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("a log line within 30 s");
        let log: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            (log["event"].as_str(), &log["fields"]["to"]),
            (Some("Transfer"), &Value::String(bob.clone()))
        );
        amounts.push(log["fields"]["amount"].clone());
    }
    assert_eq!(amounts, [serde_json::json!("5"), serde_json::json!("9")]);
    // Nothing else matched: the mint went to alice, 7 to carol.
    assert!(
        received
            .recv_timeout(std::time::Duration::from_millis(500))
            .is_err()
    );
    follower.kill().unwrap();
    follower.wait().unwrap();
}
