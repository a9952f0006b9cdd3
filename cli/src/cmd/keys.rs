//! Signing keys for `--from`: the devnet's named accounts, a key store of named keys
//! (`$WEFT_KEYS_DIR`, default `~/.weft/keys`, one file `NAME.key` holding the secret as hex), or a
//! key file's path; and `weft keys` (new, import, list).

use std::path::{Path, PathBuf};

use weft_chain::dev_accounts;
use weft_primitives::{Address, SigningKey, Transaction};

use clap::Subcommand;
use serde_json::{Value, json};

use super::CliError;
use super::output::{Out, out};

/// The key store's directory.
pub fn keys_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("WEFT_KEYS_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".weft").join("keys")
}

/// The address of `key`.
pub fn address_of(key: &SigningKey) -> Address {
    Address::from_public_key(&Transaction::signer_of(key))
}

fn parse_secret(text: &str, from: &Path) -> Result<SigningKey, CliError> {
    let digits = text.trim();
    let digits = digits.strip_prefix("0x").unwrap_or(digits);
    let bytes: [u8; 32] = hex::decode(digits)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| CliError::Usage(format!("{}: not a 32-byte hex secret key", from.display())))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// The key `from` names: a dev account, a stored key, or a key file.
pub fn resolve(from: &str) -> Result<SigningKey, CliError> {
    if let Some(account) = dev_accounts().into_iter().find(|a| a.name == from) {
        return Ok(account.key);
    }
    let stored = keys_dir().join(format!("{from}.key"));
    let path = if stored.is_file() {
        stored
    } else {
        PathBuf::from(from)
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_secret(&text, &path),
        Err(_) => Err(CliError::Usage(format!(
            "--from {from:?}: not a dev account ({}), a key in {} or a key file",
            weft_chain::DEV_ACCOUNT_NAMES.join(", "),
            keys_dir().display()
        ))),
    }
}

/// The address `text` names: `0x` + 64 hex, a dev account's name or a stored key's name.
pub fn address(text: &str) -> Result<Address, CliError> {
    if let Ok(address) = text.parse() {
        return Ok(address);
    }
    if let Some(account) = dev_accounts().into_iter().find(|a| a.name == text) {
        return Ok(account.address);
    }
    let stored = keys_dir().join(format!("{text}.key"));
    if stored.is_file() {
        return Ok(address_of(&resolve(text)?));
    }
    Err(CliError::Usage(format!(
        "{text:?} is not an address (0x + 64 hex), a dev account or a stored key"
    )))
}

/// Stores `key` as `name`; refuses to overwrite.
pub fn store(name: &str, key: &SigningKey) -> Result<PathBuf, CliError> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(CliError::Usage(format!(
            "key name {name:?}: use letters, digits, '-' and '_'"
        )));
    }
    let dir = keys_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.key"));
    if path.exists() {
        return Err(CliError::Usage(format!("{} exists already", path.display())));
    }
    std::fs::write(&path, format!("0x{}\n", hex::encode(key.to_bytes())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(path)
}

/// A fresh random key.
pub fn generate() -> Result<SigningKey, CliError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| CliError::Usage(format!("no randomness: {e}")))?;
    Ok(SigningKey::from_bytes(&secret))
}

/// Imports a secret given as hex.
pub fn import(secret: &str) -> Result<SigningKey, CliError> {
    parse_secret(secret, Path::new("the secret"))
}

/// The stored keys: name and address, by name.
pub fn stored() -> Result<Vec<(String, Address)>, CliError> {
    let mut keys = Vec::new();
    let Ok(entries) = std::fs::read_dir(keys_dir()) else {
        return Ok(keys);
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "key")
            && let Some(name) = path.file_stem().and_then(|s| s.to_str())
        {
            let key = parse_secret(&std::fs::read_to_string(&path)?, &path)?;
            keys.push((name.to_owned(), address_of(&key)));
        }
    }
    keys.sort();
    Ok(keys)
}

/// `weft keys`.
#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Creates a random key and stores it under NAME.
    New {
        /// Its name.
        name: String,
    },
    /// Stores a secret key (hex) under NAME.
    Import {
        /// Its name.
        name: String,
        /// The 32-byte secret as hex.
        secret: String,
    },
    /// Lists the stored keys and the dev accounts.
    List,
}

/// Runs `weft keys ...`.
pub(super) fn run(command: KeysCommand, out: &Out) -> Result<(), CliError> {
    let (name, key) = match command {
        KeysCommand::New { name } => (name, generate()?),
        KeysCommand::Import { name, secret } => (name, import(&secret)?),
        KeysCommand::List => {
            let stored = stored()?;
            let dev: Vec<(String, Address)> = weft_chain::dev_accounts()
                .into_iter()
                .map(|a| (a.name.to_owned(), a.address))
                .collect();
            if out.json {
                let list = |keys: &[(String, Address)]| -> Vec<Value> {
                    keys.iter()
                        .map(|(n, a)| json!({"name": n, "address": a.to_string()}))
                        .collect()
                };
                Out::print_json(&json!({"stored": list(&stored), "dev": list(&dev), "dir": keys_dir()}));
            } else {
                out!("stored in {}:", keys_dir().display());
                for (name, address) in &stored {
                    out!("  {name:<12} {address}");
                }
                out!("dev accounts (devnet only):");
                for (name, address) in &dev {
                    out!("  {name:<12} {address}");
                }
            }
            return Ok(());
        }
    };
    let path = store(&name, &key)?;
    let address = address_of(&key);
    if out.json {
        Out::print_json(&json!({"name": name, "address": address.to_string(), "file": path}));
    } else {
        out!("{address}");
        eprintln!("stored key {name} in {}", path.display());
    }
    Ok(())
}
