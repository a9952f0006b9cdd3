//! `weft testnet` end to end on RocksDB over loopback, within 90 s: four validator processes
//! reach height 5, a transaction sent over RPC to one is included on all, `kill -9` of one leaves
//! the other three going, and the restarted one catches up to the same head and state root.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use parity_scale_codec::Encode;
use serde_json::{Value, json};
use weft_chain::{Genesis, dev_accounts};

use crate::support::WEFT;

/// A JSON-RPC call by plain HTTP: `Ok(result)`, `Err(error object)`, or `Err(null)` if the node
/// does not answer.
fn rpc(addr: SocketAddr, method: &str, params: Value) -> Result<Value, Value> {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let response = ureq::post(&format!("http://{addr}"))
        .timeout(Duration::from_secs(5))
        .set("content-type", "application/json")
        .send_string(&body.to_string());
    let Ok(response) = response else {
        return Err(Value::Null);
    };
    let answer: Value = serde_json::from_str(&response.into_string().unwrap()).unwrap();
    match answer.get("error") {
        Some(error) => Err(error.clone()),
        None => Ok(answer["result"].clone()),
    }
}

fn height(addr: SocketAddr) -> Option<u64> {
    rpc(addr, "weft_blockNumber", json!([])).ok()?.as_u64()
}

/// Polls `done` every 200 ms until it holds or `deadline` passes (then the test fails: `what`).
fn wait_until(deadline: Instant, what: &str, mut done: impl FnMut() -> bool) {
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A base port with BASE..BASE+4 and BASE+100..BASE+104 free on loopback.
fn free_base_port() -> u16 {
    let mut base = 20_000 + (std::process::id() % 20_000) as u16;
    loop {
        let free = (0..4)
            .flat_map(|i| [base + i, base + 100 + i])
            .all(|port| TcpListener::bind(("127.0.0.1", port)).is_ok());
        if free {
            return base;
        }
        base = base.wrapping_add(7).max(20_000);
    }
}

fn kill(pid: u32, signal: &str) {
    let _ = Command::new("kill").arg(signal).arg(pid.to_string()).status();
}

/// Starts validator `i` of the testnet in `dir` by hand, as `weft testnet` does.
fn start_validator(dir: &Path, genesis: &Genesis, base: u16, i: u16) -> Child {
    let peers: Vec<String> = (0..genesis.validators.len() as u16)
        .filter(|j| *j != i)
        .map(|j| {
            format!(
                "0x{}@127.0.0.1:{}",
                hex::encode(genesis.validators[j as usize]),
                base + 100 + j
            )
        })
        .collect();
    let own = dir.join(format!("validator-{i}"));
    Command::new(WEFT)
        .args(["node", "--validator", "--genesis"])
        .arg(dir.join("genesis.json"))
        .arg("--key")
        .arg(own.join("key"))
        .arg("--data-dir")
        .arg(&own)
        .args(["--rpc-addr", &format!("127.0.0.1:{}", base + i)])
        .args(["--p2p-addr", &format!("127.0.0.1:{}", base + 100 + i)])
        .args(["--peers", &peers.join(",")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_testnet_includes_a_transaction_survives_kill_9_and_the_restarted_validator_catches_up() {
    let deadline = Instant::now() + Duration::from_secs(90);
    let dir = tempfile::tempdir().unwrap();
    let base = free_base_port();
    let mut testnet = Command::new(WEFT)
        .args([
            "testnet",
            "--validators",
            "4",
            "--base-port",
            &base.to_string(),
            "--data-dir",
        ])
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(testnet.stdout.take().unwrap()).lines();
    let mut pids = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some((_, rest)) = line.split_once(" pid ") {
            pids.push(rest.split_whitespace().next().unwrap().parse::<u32>().unwrap());
        }
        if line.starts_with("Ctrl-C") {
            break;
        }
    }
    assert_eq!(pids.len(), 4, "the banner names four validator processes");
    let output = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    let nodes: Vec<SocketAddr> = (0..4)
        .map(|i| SocketAddr::from(([127, 0, 0, 1], base + i)))
        .collect();

    wait_until(deadline, "height 5 on all four", || {
        nodes.iter().all(|n| height(*n) >= Some(5))
    });
    // Devnet controls are refused by a validator, with their own error.
    let refused = rpc(nodes[1], "dev_mine", json!([])).unwrap_err();
    assert_eq!(refused["code"], weft_rpc::codes::DEV_REFUSED);
    // Every finalized block is served with its finalization certificate.
    let block = rpc(nodes[2], "weft_getBlockByNumber", json!([3])).unwrap();
    assert!(
        block["finalization"].as_str().is_some_and(|hex| hex.len() > 100),
        "{block}"
    );

    let accounts = dev_accounts();
    let tx = accounts[0].transfer(accounts[1].address, 777, 0);
    let raw = format!("0x{}", hex::encode(tx.encode()));
    let hash = rpc(nodes[0], "weft_sendRawTransaction", json!([raw])).unwrap();
    wait_until(deadline, "the transaction's receipt on all four", || {
        nodes
            .iter()
            .all(|n| rpc(*n, "weft_getTransactionReceipt", json!([hash])).is_ok_and(|r| !r.is_null()))
    });

    kill(pids[2], "-KILL");
    let at_kill = height(nodes[0]).unwrap();
    let others = [nodes[0], nodes[1], nodes[3]];
    wait_until(deadline, "three validators going on without the fourth", || {
        others.iter().all(|n| height(*n) >= Some(at_kill + 3))
    });
    assert_eq!(height(nodes[2]), None, "the killed validator is gone");

    let genesis =
        Genesis::from_json(&std::fs::read_to_string(dir.path().join("genesis.json")).unwrap()).unwrap();
    let mut restarted = start_validator(dir.path(), &genesis, base, 2);
    let target = height(nodes[0]).unwrap() + 1;
    wait_until(deadline, "the restarted validator catching up", || {
        height(nodes[2]) >= Some(target)
    });
    let served: Vec<Value> = nodes
        .iter()
        .map(|n| rpc(*n, "weft_getBlockByNumber", json!([target])).unwrap())
        .collect();
    for block in &served[1..] {
        assert_eq!(block["hash"], served[0]["hash"]);
        assert_eq!(block["state_root"], served[0]["state_root"]);
    }

    kill(restarted.id(), "-TERM");
    kill(testnet.id(), "-TERM");
    assert!(
        restarted.wait().unwrap().success(),
        "the restarted validator stops cleanly on SIGTERM"
    );
    let _ = testnet.wait().unwrap();
    let said = output.join().unwrap();
    assert!(
        said.iter().any(|line| line.starts_with("validator 2 exited")),
        "the testnet reported the killed validator: {said:?}"
    );
}
