//! What the tests share: a `weft node --dev` child process on a free port.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The `weft` binary under test.
pub const WEFT: &str = env!("CARGO_BIN_EXE_weft");

/// A running `weft node --dev` and its RPC URL. Stopped on drop: SIGTERM, so that the node shuts
/// down cleanly and an `--ephemeral` chain's temporary directory is removed (a SIGKILL would leave
/// its RocksDB behind in /tmp), then SIGKILL if it has not stopped within 10 s.
pub struct Devnet {
    pub child: Child,
    pub url: String,
}

impl Devnet {
    /// Starts `weft node --dev --rpc-addr 127.0.0.1:0 ARGS` and waits for its banner.
    pub fn start<S: AsRef<OsStr>>(args: &[S]) -> Self {
        let mut child = Command::new(WEFT)
            .args(["node", "--dev", "--rpc-addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("the node printed its banner").unwrap();
            if let Some(rest) = line.trim().strip_prefix("rpc listening on ") {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep reading so that the node never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            url: format!("http://{addr}"),
        }
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let terminated = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while terminated && std::time::Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
