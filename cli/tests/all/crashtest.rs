//! A few rounds of `weft-crashtest` in the suite: the node killed with SIGKILL under load three
//! times, nothing acknowledged lost, and `weft replay` reproducing the chain. The long run (100
//! kills) is `scripts/crashtest.sh`.

use std::process::Command;

#[test]
fn three_kills_lose_nothing_and_the_chain_replays() {
    let output = Command::new(env!("CARGO_BIN_EXE_weft-crashtest"))
        .args([
            "--weft",
            env!("CARGO_BIN_EXE_weft"),
            "--kills",
            "3",
            "--clients",
            "3",
            "--seed",
            "7",
        ])
        .output()
        .expect("weft-crashtest runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.contains(" 0 lost receipts, replay passed"), "{last}");
    let acknowledged: u64 = last
        .split(": ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(acknowledged > 0, "transactions flowed between the kills: {last}");
}
