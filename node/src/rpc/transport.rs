//! The server's own accept loop over jsonrpsee's tower service, for two rules jsonrpsee's built-in
//! loop does not keep:
//!
//! - **Connections.** jsonrpsee counts an HTTP connection only while a request is in flight, so
//!   idle keep-alive connections are unbounded. Here a permit is held for the life of every TCP
//!   connection, HTTP and WebSocket alike; one over [`RpcLimits::max_connections`] is answered
//!   `503 Service Unavailable` and closed.
//! - **Ids.** A request whose `id` is neither a string, a number nor null (an object, an array, a
//!   boolean, a negative or fractional number) fails jsonrpsee's parse as a call and is then
//!   taken for a notification, answered with nothing. JSON-RPC 2.0 answers it `-32600` with a
//!   null id: such an entry is replaced by an invalid request, which jsonrpsee answers so.
//!
//! A plain `GET` of one of the explorer page's files is answered here too (`super::explorer`),
//! before jsonrpsee sees it.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::Incoming;
use jsonrpsee::core::BoxError;
use jsonrpsee::core::http_helpers::{HttpError, read_body};
use jsonrpsee::core::middleware::RpcServiceBuilder;
use jsonrpsee::server::{
    BatchRequestConfig, HttpBody, HttpRequest, HttpResponse, Server, ServerConfig, ServerHandle,
    serve_with_graceful_shutdown, stop_channel,
};
use jsonrpsee::types::Id;
use serde_json::value::RawValue;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::params::{CheckParams, Signatures};
use super::{RpcLimits, rpc_module};
use crate::node::NodeHandle;

/// What a connection over the limit is told before it is closed.
const TOO_MANY_CONNECTIONS: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\
connection: close\r\ncontent-length: 45\r\n\r\ntoo many connections: the server is at its cap";

/// What replaces a request entry whose id is invalid: jsonrpsee answers it `-32600`, id null.
const INVALID_ENTRY: &str = r#"{"jsonrpc":"2.0","id":null}"#;

/// Starts the server on `addr` (HTTP and WebSocket on one port); returns its bound address and a
/// handle that stops it.
pub async fn serve(
    node: NodeHandle,
    addr: SocketAddr,
    limits: RpcLimits,
) -> std::io::Result<(SocketAddr, ServerHandle)> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let methods = rpc_module(node, limits)?;
    let signatures = Arc::new(Signatures::from_document(&weft_rpc::openrpc_document()));
    let config = ServerConfig::builder()
        .max_request_body_size(limits.max_request_bytes)
        .max_response_body_size(limits.max_response_bytes)
        .max_connections(limits.max_connections)
        .max_subscriptions_per_connection(limits.max_subscriptions)
        .set_batch_request_config(BatchRequestConfig::Limit(limits.max_batch))
        .build();
    let middleware =
        RpcServiceBuilder::new().layer_fn(move |service| CheckParams::new(service, signatures.clone()));
    let builder = Server::builder()
        .set_config(config)
        .set_rpc_middleware(middleware)
        .to_service_builder();
    let (stop, handle) = stop_channel();
    let connections = Arc::new(Semaphore::new(limits.max_connections as usize));
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = stop.clone().shutdown() => return,
            };
            let socket = match accepted {
                Ok((socket, _)) => socket,
                Err(error) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!("cannot accept an RPC connection: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Ok(permit) = connections.clone().try_acquire_owned() else {
                tokio::spawn(refuse(socket));
                continue;
            };
            // The permit goes with the socket: a WebSocket upgrade hands the socket on, and the
            // permit is released when the socket is dropped, whoever holds it then.
            let socket = Counted {
                socket,
                _permit: permit,
            };
            let service = CheckIds {
                inner: builder.clone().build(methods.clone(), stop.clone()),
                max_request_bytes: limits.max_request_bytes,
            };
            let stopped = stop.clone().shutdown();
            tokio::spawn(async move {
                if let Err(error) = serve_with_graceful_shutdown(socket, service, stopped).await {
                    tracing::debug!("RPC connection ended: {error}");
                }
            });
        }
    });
    Ok((bound, handle))
}

/// Tells a connection over the limit so, and closes it.
async fn refuse(mut socket: TcpStream) {
    let _ = socket.write_all(TOO_MANY_CONNECTIONS).await;
    let _ = socket.shutdown().await;
}

/// A connection's socket with its permit, released when the socket is dropped.
struct Counted {
    socket: TcpStream,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.socket).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.socket).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.socket).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.socket).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.socket).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.socket.is_write_vectored()
    }
}

/// `inner` behind the check of request ids.
#[derive(Clone)]
struct CheckIds<S> {
    inner: S,
    max_request_bytes: u32,
}

impl<S> tower::Service<HttpRequest<Incoming>> for CheckIds<S>
where
    S: tower::Service<HttpRequest<HttpBody>, Response = HttpResponse, Error = BoxError>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
{
    type Response = HttpResponse;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest<Incoming>) -> Self::Future {
        let mut inner = self.inner.clone();
        let max = self.max_request_bytes;
        if let Some(page) = super::explorer::respond(&request) {
            return Box::pin(std::future::ready(Ok(page)));
        }
        Box::pin(async move {
            if request.method() != http::Method::POST {
                // WebSocket upgrades, and the GETs jsonrpsee refuses.
                return inner.call(request.map(HttpBody::new)).await;
            }
            let (mut parts, body) = request.into_parts();
            let body = match read_body(&parts.headers, body, max).await {
                Ok((body, _)) => body,
                Err(HttpError::TooLarge) => return Ok(jsonrpsee::server::http::response::too_large(max)),
                Err(_) => return Ok(jsonrpsee::server::http::response::malformed()),
            };
            let inspected = inspect(&body);
            let body = match inspected.rewritten {
                Some(rewritten) => {
                    parts
                        .headers
                        .insert(http::header::CONTENT_LENGTH, rewritten.len().into());
                    rewritten
                }
                None => body,
            };
            let response = inner
                .call(HttpRequest::from_parts(parts, HttpBody::from(body)))
                .await?;
            Ok(if inspected.silent {
                jsonrpsee::server::http::response::ok_response("")
            } else {
                response
            })
        })
    }
}

/// What the id check makes of a request body.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Inspected {
    /// The body with every entry whose id jsonrpsee cannot take replaced by an invalid request;
    /// `None` if there is none (or the body is not JSON: jsonrpsee answers `-32700`).
    pub(super) rewritten: Option<Vec<u8>>,
    /// Whether every entry is a notification: JSON-RPC answers nothing, an empty body.
    pub(super) silent: bool,
}

/// One request entry, as far as the id check reads it.
#[derive(serde::Deserialize)]
struct Entry<'a> {
    /// The id: `Some("null")` for a null one, `None` if there is none (a notification).
    #[serde(borrow, default, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    method: Option<&'a RawValue>,
}

/// A field that is there, null or not.
fn present<'de, D: serde::Deserializer<'de>>(field: D) -> Result<Option<&'de RawValue>, D::Error> {
    serde::Deserialize::deserialize(field).map(Some)
}

/// Checks the ids of `body`'s request entries (each entry is read once).
pub(super) fn inspect(body: &[u8]) -> Inspected {
    let start = body.iter().find(|b| !b.is_ascii_whitespace());
    let raw: Vec<&RawValue> = match start {
        Some(b'[') => serde_json::from_slice(body).unwrap_or_default(),
        Some(_) => serde_json::from_slice(body)
            .map(|one| vec![one])
            .unwrap_or_default(),
        None => Vec::new(),
    };
    // Per entry: whether its id is one jsonrpsee cannot take, and whether it is a notification.
    let read: Vec<(bool, bool)> = raw
        .iter()
        .map(|entry| match serde_json::from_str::<Entry<'_>>(entry.get()) {
            Ok(entry) => (
                entry
                    .id
                    .is_some_and(|id| serde_json::from_str::<Id<'_>>(id.get()).is_err()),
                entry.id.is_none() && entry.method.is_some(),
            ),
            Err(_) => (false, false),
        })
        .collect();
    let silent = !read.is_empty() && read.iter().all(|(_, notification)| *notification);
    if !read.iter().any(|(bad, _)| *bad) {
        return Inspected {
            rewritten: None,
            silent,
        };
    }
    let fixed: Vec<&str> = raw
        .iter()
        .zip(&read)
        .map(|(entry, (bad, _))| if *bad { INVALID_ENTRY } else { entry.get() })
        .collect();
    let rewritten = match start {
        Some(b'[') => format!("[{}]", fixed.join(",")),
        _ => INVALID_ENTRY.to_owned(),
    };
    Inspected {
        rewritten: Some(rewritten.into_bytes()),
        silent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_entries_with_invalid_ids_are_replaced() {
        let fine = [
            r#"{"jsonrpc":"2.0","id":1,"method":"m"}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"m"}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"m"}"#,
            r#"[{"jsonrpc":"2.0","id":1,"method":"m"}]"#,
            "not json",
            "",
        ];
        for body in fine {
            let expected = Inspected {
                rewritten: None,
                silent: false,
            };
            assert_eq!(inspect(body.as_bytes()), expected, "{body}");
        }
        for id in ["{}", "[1]", "true", "-1", "1.5"] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"m"}}"#);
            let rewritten = inspect(body.as_bytes()).rewritten;
            assert_eq!(rewritten.unwrap(), INVALID_ENTRY.as_bytes(), "{id}");
        }
        let batch = r#"[{"jsonrpc":"2.0","id":1,"method":"m"}, {"jsonrpc":"2.0","id":{"a":1},"method":"m"}]"#;
        let rewritten = String::from_utf8(inspect(batch.as_bytes()).rewritten.unwrap()).unwrap();
        assert_eq!(
            rewritten,
            format!(r#"[{{"jsonrpc":"2.0","id":1,"method":"m"}},{INVALID_ENTRY}]"#)
        );
    }

    #[test]
    fn notifications_alone_are_answered_with_nothing() {
        let silent = |body: &str| inspect(body.as_bytes()).silent;
        assert!(silent(r#"{"jsonrpc":"2.0","method":"m"}"#));
        assert!(silent(
            r#"[{"jsonrpc":"2.0","method":"m"},{"jsonrpc":"2.0","method":"n"}]"#
        ));
        assert!(!silent(
            r#"[{"jsonrpc":"2.0","method":"m"},{"jsonrpc":"2.0","id":1,"method":"n"}]"#
        ));
        assert!(!silent(r#"{"jsonrpc":"2.0","id":null,"method":"m"}"#));
        assert!(
            !silent(r#"{"jsonrpc":"2.0"}"#),
            "no method: an invalid request, answered"
        );
        assert!(!silent("[]"));
    }
}
