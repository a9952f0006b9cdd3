//! The devnet explorer page (`clients/explorer`), served on the RPC port: a plain `GET` of `/`,
//! `/index.html`, `/explorer.js` or `/explorer.css` is answered with the file, embedded in the
//! binary at compile time (the bundled script `clients/explorer/dist/explorer.js` is committed, so
//! building Weft needs no npm). Every other request, a WebSocket upgrade at `/` included, goes to
//! JSON-RPC.
//!
//! The page only reads through the public RPC methods, from the same origin, so it needs no CORS;
//! its content-security policy allows scripts, styles and HTTP requests from this origin alone.

use http::HeaderValue;
use jsonrpsee::server::{HttpBody, HttpResponse};

/// The page's files: path, content type, bytes. Only the script is built (`dist/explorer.js`).
const FILES: [(&str, &str, &str); 4] = [
    ("/", HTML, INDEX_HTML),
    ("/index.html", HTML, INDEX_HTML),
    (
        "/explorer.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../clients/explorer/dist/explorer.js"),
    ),
    (
        "/explorer.css",
        "text/css; charset=utf-8",
        include_str!("../../../clients/explorer/src/explorer.css"),
    ),
];

const INDEX_HTML: &str = include_str!("../../../clients/explorer/src/index.html");

const HTML: &str = "text/html; charset=utf-8";

/// Scripts, styles and connections from this origin only (`ws:`/`wss:` for the live heads: CSP's
/// `'self'` does not cover a WebSocket to the same host in every browser). `'wasm-unsafe-eval'`
/// lets the page compile a contract's code to read its `weft_abi` custom section; it never
/// instantiates it.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'";

/// The explorer's answer to `request`, or `None` if it is not a request for one of its files.
pub(super) fn respond<B>(request: &http::Request<B>) -> Option<HttpResponse> {
    if request.method() != http::Method::GET || request.headers().contains_key(http::header::UPGRADE) {
        return None;
    }
    let (_, content_type, body) = FILES.iter().find(|(path, _, _)| *path == request.uri().path())?;
    let mut response = http::Response::new(HttpBody::from(*body));
    let headers = response.headers_mut();
    let header = HeaderValue::from_static;
    headers.insert(http::header::CONTENT_TYPE, header(content_type));
    headers.insert(http::header::CACHE_CONTROL, header("no-cache"));
    headers.insert(
        http::header::CONTENT_SECURITY_POLICY,
        header(CONTENT_SECURITY_POLICY),
    );
    headers.insert(http::header::X_CONTENT_TYPE_OPTIONS, header("nosniff"));
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> http::Request<()> {
        http::Request::get(path).body(()).unwrap()
    }

    #[test]
    fn serves_the_page_and_its_assets() {
        let page = respond(&get("/")).unwrap();
        assert_eq!(page.headers()[http::header::CONTENT_TYPE], HTML);
        assert!(respond(&get("/index.html")).is_some());
        let script = respond(&get("/explorer.js")).unwrap();
        assert_eq!(
            script.headers()[http::header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert!(respond(&get("/explorer.css")).is_some());
    }

    #[test]
    fn leaves_everything_else_to_json_rpc() {
        assert!(respond(&get("/other")).is_none());
        assert!(respond(&http::Request::post("/").body(()).unwrap()).is_none());
        let upgrade = http::Request::get("/")
            .header(http::header::UPGRADE, "websocket")
            .body(())
            .unwrap();
        assert!(respond(&upgrade).is_none());
    }

    #[test]
    fn the_embedded_page_loads_the_embedded_assets() {
        let (_, _, html) = FILES[0];
        for (path, _, _) in &FILES[2..] {
            assert!(
                html.contains(&format!("\"{path}\"")),
                "index.html does not load {path}"
            );
        }
    }
}
