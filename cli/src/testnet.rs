//! `weft testnet --validators N`: a network on this machine in one command. It writes (once) a
//! genesis with N dev validator keys and the devnet's funded accounts, one key file and data
//! directory per validator, starts one `weft node --validator` process each on loopback, prints
//! their ports and process ids, and stops them all on Ctrl-C. A validator that exits (or is
//! killed) is reported and the others go on — a network of 3f + 1 tolerates f down; `weft
//! testnet` ends when none is left. Run again on the same directory, it resumes the same chain.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use weft_chain::{DEV_CHAIN_ID, Genesis};

use crate::{AnyError, load_genesis};

/// `weft testnet`'s options.
#[derive(clap::Args)]
pub(crate) struct TestnetArgs {
    /// How many validators (1 to 32); with 3f + 1 of them, f may fail.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=32))]
    validators: u64,
    /// Where the genesis, the keys and the validators' data go (default: ~/.weft/testnet).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Validator i serves JSON-RPC on BASE+i and listens for peers on BASE+100+i.
    #[arg(long, default_value_t = 8645)]
    base_port: u16,
    /// Seconds a proposer waits after its parent block.
    #[arg(long, default_value_t = 1)]
    block_time: u64,
}

/// One validator process's layout.
struct Member {
    dir: PathBuf,
    key: String,
    rpc: SocketAddr,
    p2p: SocketAddr,
}

pub(crate) fn run(args: TestnetArgs) -> Result<(), AnyError> {
    let root = args.data_dir.clone().unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
        home.join(".weft").join("testnet")
    });
    std::fs::create_dir_all(&root)?;
    let genesis_path = root.join("genesis.json");
    let keys: Vec<_> = (0..args.validators)
        .map(weft_consensus::dev_validator_key)
        .collect();
    let publics: Vec<[u8; 32]> = (keys.iter())
        .map(|key| weft_consensus::public_key_bytes(&weft_consensus::public_key_of(key)))
        .collect();
    if genesis_path.exists() {
        let genesis = load_genesis(Some(&genesis_path))?;
        if genesis.validators != publics {
            return Err(format!(
                "{} holds another validator set: use another --data-dir, or the same --validators",
                genesis_path.display()
            )
            .into());
        }
    } else {
        let genesis = Genesis {
            chain_id: DEV_CHAIN_ID,
            validators: publics.clone(),
            ..Genesis::dev()
        };
        std::fs::write(&genesis_path, genesis.to_json())?;
    }
    let port = |offset: u64| -> Result<SocketAddr, AnyError> {
        let port =
            u16::try_from(u64::from(args.base_port) + offset).map_err(|_| "--base-port is too high")?;
        Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
    };
    let mut members = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let dir = root.join(format!("validator-{i}"));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("key"), weft_consensus::private_key_hex(key))?;
        members.push(Member {
            dir,
            key: hex::encode(publics[i]),
            rpc: port(i as u64)?,
            p2p: port(100 + i as u64)?,
        });
    }
    let exe = std::env::current_exe()?;
    let mut children = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let peers: Vec<String> = (members.iter().enumerate())
            .filter(|(j, _)| *j != i)
            .map(|(_, m)| format!("0x{}@{}", m.key, m.p2p))
            .collect();
        children.push(spawn(&exe, &genesis_path, member, &peers, args.block_time)?);
    }
    println!("Weft testnet: {} validators on loopback", members.len());
    println!("  genesis          {}", genesis_path.display());
    println!(
        "  chain id         {DEV_CHAIN_ID} (the devnet's funded accounts; `weft node --dev` prints their keys)"
    );
    for (i, member) in members.iter().enumerate() {
        println!(
            "  validator {i}      rpc http://{}  p2p {}  key 0x{}…  pid {}  log {}",
            member.rpc,
            member.p2p,
            &member.key[..16],
            children[i].id(),
            member.dir.join("node.log").display()
        );
    }
    println!("Ctrl-C stops them all.");
    println!();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut running: Vec<Option<Child>> = children.into_iter().map(Some).collect();
    let interrupted = runtime.block_on(watch(&mut running, &members));
    let mut left: Vec<Child> = running.into_iter().flatten().collect();
    stop(&mut left);
    match interrupted {
        true => Ok(()),
        false => Err("every validator has exited".into()),
    }
}

fn spawn(
    exe: &Path,
    genesis: &Path,
    member: &Member,
    peers: &[String],
    block_time: u64,
) -> Result<Child, AnyError> {
    let log = std::fs::File::create(member.dir.join("node.log"))?;
    let child = Command::new(exe)
        .arg("node")
        .arg("--validator")
        .arg("--genesis")
        .arg(genesis)
        .arg("--key")
        .arg(member.dir.join("key"))
        .arg("--data-dir")
        .arg(&member.dir)
        .arg("--rpc-addr")
        .arg(member.rpc.to_string())
        .arg("--p2p-addr")
        .arg(member.p2p.to_string())
        .arg("--peers")
        .arg(peers.join(","))
        .arg("--block-time")
        .arg(block_time.to_string())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()?;
    Ok(child)
}

/// Reports validators as they exit; `true` on Ctrl-C, `false` once none is left.
async fn watch(children: &mut [Option<Child>], members: &[Member]) -> bool {
    let signal = crate::shutdown_signal();
    tokio::pin!(signal);
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            () = &mut signal => return true,
            _ = tick.tick() => {
                for (i, slot) in children.iter_mut().enumerate() {
                    let Some(child) = slot else { continue };
                    if let Ok(Some(status)) = child.try_wait() {
                        println!(
                            "validator {i} exited ({status}); the others go on. Its log: {}",
                            members[i].dir.join("node.log").display()
                        );
                        *slot = None;
                    }
                }
                if children.iter().all(Option::is_none) {
                    return false;
                }
            }
        }
    }
}

/// Asks every validator to stop (SIGTERM), waits up to 10 s, then kills what is left.
fn stop(children: &mut [Child]) {
    for child in children.iter() {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    for child in children.iter_mut() {
        while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        if matches!(child.try_wait(), Ok(None)) {
            let _ = child.kill();
        }
        let _ = child.wait();
    }
}
