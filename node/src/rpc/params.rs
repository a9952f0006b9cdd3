//! Parameters checked against the OpenRPC document before a method runs. jsonrpsee's generated
//! handlers take parameters by position or by name but ignore extra positional ones and unknown
//! names; JSON-RPC 2.0 makes those invalid params (`-32602`), and so does this layer, with the
//! parameter list of `rpc.discover` as the one description of every method.

use std::collections::HashMap;
use std::sync::Arc;

use jsonrpsee::core::middleware::{Batch, BatchEntry, BatchEntryErr, Notification, RpcServiceT};
use jsonrpsee::server::MethodResponse;
use jsonrpsee::types::{ErrorObjectOwned, Request};
use serde_json::Value;
use serde_json::value::RawValue;

use super::invalid_params;

/// Every method's parameter names, in order, from the OpenRPC document.
#[derive(Debug, Default)]
pub(super) struct Signatures(HashMap<String, Vec<String>>);

impl Signatures {
    /// The parameter lists of `document`'s methods.
    pub(super) fn from_document(document: &Value) -> Self {
        let methods = document["methods"].as_array().map_or(&[][..], Vec::as_slice);
        let signatures = methods.iter().filter_map(|method| {
            let name = method["name"].as_str()?;
            let params = method["params"].as_array()?;
            let names = params
                .iter()
                .filter_map(|p| p["name"].as_str().map(str::to_owned));
            Some((name.to_owned(), names.collect()))
        });
        Self(signatures.collect())
    }

    /// `-32602` if `params` (the raw JSON) has more positional parameters than `method` takes,
    /// or a name it does not take. Methods the document does not describe are not checked.
    pub(super) fn check(&self, method: &str, params: Option<&str>) -> Result<(), ErrorObjectOwned> {
        let (Some(names), Some(params)) = (self.0.get(method), params) else {
            return Ok(());
        };
        // Not JSON, or neither an array nor an object: the handler's own parse reports it. The
        // values are not parsed (a transaction's hex can be megabytes), only counted or named.
        let text = params.trim_start();
        if text.starts_with('[') {
            let Ok(values) = serde_json::from_str::<Vec<&RawValue>>(params) else {
                return Ok(());
            };
            if values.len() > names.len() {
                return Err(invalid_params(format!(
                    "{method} takes at most {} parameters ({}), got {}",
                    names.len(),
                    names.join(", "),
                    values.len()
                )));
            }
        } else if text.starts_with('{') {
            let Ok(fields) = serde_json::from_str::<HashMap<String, &RawValue>>(params) else {
                return Ok(());
            };
            if let Some(unknown) = fields.keys().find(|key| !names.contains(key)) {
                return Err(invalid_params(format!(
                    "{method} has no parameter named {unknown:?} (it takes: {})",
                    names.join(", ")
                )));
            }
        }
        Ok(())
    }
}

/// The middleware: `inner` runs only requests whose parameters fit their method.
#[derive(Debug, Clone)]
pub(super) struct CheckParams<S> {
    inner: S,
    signatures: Arc<Signatures>,
}

impl<S> CheckParams<S> {
    /// `inner` behind the check against `signatures`.
    pub(super) fn new(inner: S, signatures: Arc<Signatures>) -> Self {
        Self { inner, signatures }
    }

    fn check(&self, request: &Request<'_>) -> Result<(), ErrorObjectOwned> {
        let params = request.params.as_deref().map(RawValue::get);
        self.signatures.check(request.method_name(), params)
    }
}

impl<S> RpcServiceT for CheckParams<S>
where
    S: RpcServiceT<
            MethodResponse = MethodResponse,
            BatchResponse = MethodResponse,
            NotificationResponse = MethodResponse,
        > + Clone
        + Send
        + Sync
        + 'static,
{
    type MethodResponse = MethodResponse;
    type NotificationResponse = MethodResponse;
    type BatchResponse = MethodResponse;

    fn call<'a>(&self, request: Request<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        let checked = self.check(&request);
        let inner = self.inner.clone();
        async move {
            match checked {
                Ok(()) => inner.call(request).await,
                Err(error) => MethodResponse::error(request.id, error),
            }
        }
    }

    fn batch<'a>(&self, batch: Batch<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        let entries = batch
            .into_iter()
            .map(|entry| match entry {
                Ok(BatchEntry::Call(request)) => match self.check(&request) {
                    Ok(()) => Ok(BatchEntry::Call(request)),
                    Err(error) => Err(BatchEntryErr::new(request.id, error)),
                },
                other => other,
            })
            .collect();
        let inner = self.inner.clone();
        async move { inner.batch(Batch::from(entries)).await }
    }

    fn notification<'a>(
        &self,
        notification: Notification<'a>,
    ) -> impl Future<Output = MethodResponse> + Send + 'a {
        // A notification gets no answer, whatever its parameters.
        let inner = self.inner.clone();
        async move { inner.notification(notification).await }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked_by_count_and_name() {
        let signatures = Signatures::from_document(&weft_rpc::openrpc_document());
        let check = |method, params| signatures.check(method, Some(params));
        assert!(check("weft_getBlockByNumber", "[0]").is_ok());
        assert!(check("weft_getBlockByNumber", "[0, true]").is_ok());
        let extra = check("weft_getBlockByNumber", "[0, true, 3]").unwrap_err();
        assert_eq!(extra.code(), -32602);
        assert!(
            extra.message().contains("at most 2 parameters (height, full)"),
            "{}",
            extra.message()
        );
        assert!(check("weft_getBlockByNumber", r#"{"height": 0, "full": true}"#).is_ok());
        let unknown = check("weft_getBlockByNumber", r#"{"height": 0, "fill": true}"#).unwrap_err();
        assert!(unknown.message().contains("no parameter named \"fill\""));
        assert!(check("weft_blockNumber", "[1]").is_err());
        assert!(check("weft_blockNumber", "[]").is_ok());
        assert!(signatures.check("weft_blockNumber", None).is_ok());
        // Not described (no such method): left to the server's -32601.
        assert!(check("weft_nothing", "[1, 2, 3]").is_ok());
    }
}
