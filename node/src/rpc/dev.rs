//! The devnet's `dev_` namespace: mining, dev accounts, snapshots, time travel, state overrides.

use jsonrpsee::core::RpcResult;
use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use weft_primitives::Balance;
use weft_rpc::{DevAccountView, DevApiServer, codes};

use super::{Api, fault, parse, parse_hex};
use crate::node::DevError;
use weft_chain::dev_accounts;

fn dev_error(error: DevError) -> ErrorObjectOwned {
    match error {
        DevError::Fault(error) => fault(error),
        refused => ErrorObject::owned(codes::DEV_REFUSED, refused.to_string(), None::<()>),
    }
}

impl DevApiServer for Api {
    fn mine(&self, count: Option<u64>) -> RpcResult<u64> {
        let count = count.unwrap_or(1);
        if count == 0 || count > weft_rpc::MAX_MINED_BLOCKS {
            let message = format!(
                "dev_mine mines 1 to {} blocks, not {count}",
                weft_rpc::MAX_MINED_BLOCKS
            );
            return Err(ErrorObject::owned(codes::DEV_REFUSED, message, None::<()>));
        }
        let mut height = self.node.head().height;
        for _ in 0..count {
            height = self.node.mine().map_err(fault)?.block.header.height;
        }
        Ok(height)
    }

    fn accounts(&self) -> RpcResult<Vec<DevAccountView>> {
        Ok(dev_accounts()
            .into_iter()
            .map(|account| DevAccountView {
                name: account.name.into(),
                address: account.address.to_string(),
                secret_key: account.secret_hex(),
            })
            .collect())
    }

    fn snapshot(&self) -> RpcResult<u64> {
        self.node.snapshot().map_err(dev_error)
    }

    fn revert(&self, id: u64) -> RpcResult<u64> {
        Ok(self.node.revert(id).map_err(dev_error)?.height)
    }

    fn increase_time(&self, seconds: u64) -> RpcResult<u64> {
        Ok(self.node.increase_time(seconds))
    }

    fn set_next_block_timestamp(&self, timestamp: u64) -> RpcResult<()> {
        self.node.set_next_block_timestamp(timestamp).map_err(dev_error)
    }

    fn set_balance(&self, address: String, balance: String) -> RpcResult<()> {
        let address = self.address("address", &address)?;
        let balance: Balance = parse("balance", &balance)?;
        self.node.set_balance(address, balance).map_err(fault)
    }

    fn set_storage_at(&self, address: String, key: String, value: Option<String>) -> RpcResult<()> {
        let address = self.address("address", &address)?;
        let key = parse_hex("key", &key)?;
        let value = value.map(|v| parse_hex("value", &v)).transpose()?;
        self.node.set_storage(address, &key, value).map_err(fault)
    }
}
