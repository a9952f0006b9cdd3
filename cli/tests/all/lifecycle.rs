//! The contract lifecycle through the real binary and socket: code uploaded once and
//! instantiated by hash, a factory creating counters, an owner-only upgrade with a migration,
//! and `weft trace` rendering nested calls with gas per frame; `weft_traceCall` over JSON-RPC.

use jsonrpsee::http_client::HttpClientBuilder;
use weft_rpc::{CallRequestView, FrameKindView, FrameStatusView, TraceStepView, WeftReadApiClient};

use crate::cli::{artifact, json, stdout, weft};
use crate::support::Devnet;

#[test]
fn upload_create_upgrade_and_trace_over_the_cli() {
    let node = Devnet::start(&["--ephemeral"]);
    let keys = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| weft(&node.url, keys.path(), args);

    // Code stored once, deployed by its hash.
    let counter_code = stdout(&run(&["upload", &artifact("counter"), "--from", "alice"]));
    assert!(
        counter_code.starts_with("0x") && counter_code.len() == 66,
        "{counter_code}"
    );
    let counter = stdout(&run(&[
        "instantiate",
        &counter_code,
        "5",
        "--abi",
        &artifact("counter"),
        "--from",
        "alice",
    ]));
    assert_eq!(stdout(&run(&["view", &counter, "get"])), "5");

    // A factory creates a counter from the same code.
    let factory = stdout(&run(&[
        "deploy",
        &artifact("factory"),
        &counter_code,
        "--from",
        "alice",
    ]));
    let salt = format!("0x{}", "07".repeat(32));
    let predicted = stdout(&run(&["view", &factory, "address_of", &salt]));
    let created = json(&run(&[
        "call", &factory, "create", &salt, "41", "--from", "alice", "--json",
    ]));
    assert_eq!(created["status"], "success", "{created}");
    assert_eq!(created["returned"], predicted.as_str());
    assert_eq!(stdout(&run(&["view", &predicted, "get"])), "41");
    let tree = stdout(&run(&["trace", created["tx_hash"].as_str().unwrap()]));
    assert!(
        tree.contains("call Factory[") && tree.contains("::create"),
        "{tree}"
    );
    assert!(tree.contains("└─ ") || tree.contains("├─ "), "{tree}");
    assert!(
        tree.contains("create Counter[") && tree.contains("::deploy"),
        "{tree}"
    );
    assert!(tree.contains("emit Created {"), "{tree}");
    // The same salt again: the factory reverts, the CLI says why.
    let again = run(&[
        "call", &factory, "create", &salt, "1", "--from", "alice", "--gas", "5000000",
    ]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("creation refused"),
        "{again:?}"
    );

    // The caller → token pair: a nested call whose revert the caller survives.
    let token = stdout(&run(&[
        "deploy",
        &artifact("token"),
        "T",
        "T",
        "0",
        "100",
        "--from",
        "alice",
    ]));
    let caller = stdout(&run(&["deploy", &artifact("caller"), &token, "--from", "alice"]));
    stdout(&run(&[
        "call", &token, "transfer", &caller, "10", "--from", "alice",
    ]));
    let tried = json(&run(&[
        "call",
        &caller,
        "try_transfer",
        "bob",
        "11",
        "--from",
        "alice",
        "--json",
    ]));
    let hash = tried["tx_hash"].as_str().unwrap();
    let tree = stdout(&run(&["trace", hash]));
    println!("{tree}");
    let lines: Vec<&str> = tree.lines().collect();
    assert!(lines[0].contains("success, gas used"), "{tree}");
    assert!(
        lines[1].contains("call Caller[") && lines[1].contains("::try_transfer"),
        "{tree}"
    );
    assert!(lines[1].contains("→ success"), "{tree}");
    let nested = lines
        .iter()
        .find(|line| line.contains("call Token[") && line.contains("::transfer"))
        .unwrap_or_else(|| panic!("the token frame: {tree}"));
    assert!(
        nested.starts_with("├─ [") || nested.starts_with("└─ ["),
        "nested under the caller: {tree}"
    );
    assert!(nested.contains("→ revert"), "{tree}");
    assert!(tree.contains("emit TransferFailed {"), "{tree}");
    let traced = json(&run(&["trace", hash, "--json"]));
    let root = &traced["calls"];
    let child = root["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["type"] == "frame")
        .unwrap();
    let (root_gas, child_gas) = (
        root["gas_used"].as_u64().unwrap(),
        child["gas_used"].as_u64().unwrap(),
    );
    assert!(child_gas > 0 && child_gas < root_gas, "{traced}");
    assert!(
        nested.contains(&format!("[{child_gas}/")),
        "the frame's own gas: {tree}"
    );

    // An owner-only upgrade with a migration of the layout.
    let v2 = stdout(&run(&["upload", &artifact("upgradeable_v2"), "--from", "alice"]));
    let up = stdout(&run(&[
        "deploy",
        &artifact("upgradeable"),
        "21",
        "--from",
        "alice",
    ]));
    let scale = format!("0x{}", hex::encode(1_000u64.to_le_bytes()));
    let refused = run(&[
        "call",
        &up,
        "upgrade_to",
        &v2,
        &scale,
        "--from",
        "bob",
        "--gas",
        "5000000",
    ]);
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("only the owner can upgrade"),
        "{refused:?}"
    );
    let upgraded = json(&run(&[
        "call",
        &up,
        "upgrade_to",
        &v2,
        &scale,
        "--from",
        "alice",
        "--json",
    ]));
    assert_eq!(upgraded["status"], "success", "{upgraded}");
    assert_eq!(stdout(&run(&["view", &up, "version"])), "2");
    assert_eq!(stdout(&run(&["view", &up, "get"])), "21000");
    let tree = stdout(&run(&["trace", upgraded["tx_hash"].as_str().unwrap()]));
    assert!(
        tree.contains("migrate UpgradeableV2[") && tree.contains("::migrate"),
        "{tree}"
    );

    // weft_traceCall: a dry run's tree, nothing kept.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = HttpClientBuilder::default().build(&node.url).unwrap();
    let request = CallRequestView {
        from: None,
        to: caller.clone(),
        method: Some("token_balance".into()),
        args: Some(weft_rpc::ArgsView::Json(vec![serde_json::json!(caller)])),
        value: None,
        gas: None,
        block: None,
    };
    let trace = runtime.block_on(client.trace_call(request)).unwrap();
    let root = trace.calls.unwrap();
    assert_eq!(
        (root.kind, root.status),
        (FrameKindView::Call, FrameStatusView::Success)
    );
    let frames: Vec<_> = root
        .steps
        .iter()
        .filter_map(|step| match step {
            TraceStepView::Frame(frame) => Some(frame),
            _ => None,
        })
        .collect();
    assert_eq!(frames.len(), 1);
    assert_eq!(
        (frames[0].contract.as_str(), frames[0].entry.as_str()),
        (token.as_str(), "balance_of")
    );
    assert!(
        root.host_calls
            .iter()
            .any(|call| call.name == "call" && call.count == 1)
    );
}
