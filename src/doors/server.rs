//! The reference HTTP server (feature `server`): the checkout page's files
//! and the contract's operations over HTTP.
//!
//! - `GET /...` serves the `www/` folder (the page loads the wasm package
//!   from `www/pkg/`; `.wasm` goes out as `application/wasm`).
//! - `POST /api/quote`, `/api/refund`, `/api/protect`, `/api/settle` take
//!   the contract's input document and answer 200 with the output
//!   document, 400 with the error document on invalid input, 413
//!   (`limit_exceeded`) past 4 MiB, 408 when a body does not arrive in
//!   time; a connection whose headers do not arrive in time is closed.
//! - `POST /api/order` takes `{cart, digest}` (the checkout page's submit):
//!   the cart priced as the server's shop sells it (`--rules FILE
//!   --catalogue FILE`: its rules, each product's terms, its clock), 200
//!   `{accepted: true, quote}` when the digest is the server's, 409
//!   `{accepted: false, quote}` when it is not ([`Shop`]); 503 when the
//!   server has no shop.
//! - `GET /api/openapi.json`: the OpenAPI 3.1 description of the API
//!   (`src/doors/openapi.json`, held to the engine's documents by
//!   `tests/it/openapi.rs` and to the live answers by the e2e tests).
//!
//! A door only: it reads the body, runs [`Operation::slice_to_string`] on
//! a blocking thread (pricing is CPU work; the reactor keeps serving), and
//! writes the answer. Invalid input is a 4xx with the contract's error
//! document; a failure that is not the input's fault (an internal error,
//! the server shutting down) is a 5xx whose document says so. A panic in a
//! computation, which the engine is built never to have, would become a
//! 500, not a dead server.

pub use super::order::Shop;
use crate::error::{Error, ErrorCode, MAX_INPUT_BYTES};
use crate::operation::Operation;
use axum::body::{Body, Bytes};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The OpenAPI 3.1 description of the API, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// How long a client may take to send a request body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// What a server serves: the page's files, and the shop it prices orders
/// with.
#[derive(Clone, Debug)]
pub struct Site {
    /// The folder of static files (the checkout page).
    pub www: PathBuf,
    /// The shop for `POST /api/order` (`None`: orders are answered 503).
    pub shop: Option<Arc<Shop>>,
}

/// `POST /api/<operation>` for each of the contract's operations.
fn operation_path(op: Operation) -> String {
    format!("/api/{}", op.as_str())
}

/// `POST /api/order`.
const ORDER_PATH: &str = "/api/order";

/// `GET /api/openapi.json`.
const OPENAPI_PATH: &str = "/api/openapi.json";

/// Every path of the API, as the router serves them (what `openapi.json`
/// must describe).
pub fn api_paths() -> Vec<String> {
    Operation::ALL
        .iter()
        .map(|&op| operation_path(op))
        .chain([ORDER_PATH, OPENAPI_PATH].map(String::from))
        .collect()
}

/// The routes: the API and the static files of the site.
pub fn router(site: Site) -> Router {
    let shop = site.shop;
    let mut api = Router::new();
    for &op in Operation::ALL {
        api = api.route(&operation_path(op), post(move |b: Body| run(op, b)));
    }
    let api = api
        .route(ORDER_PATH, post(move |b: Body| order(shop.clone(), b)))
        .route(
            OPENAPI_PATH,
            get(|| async { json(StatusCode::OK, OPENAPI.to_owned()) }),
        )
        .layer(DefaultBodyLimit::disable());
    api.fallback_service(ServeDir::new(site.www).append_index_html_on_directories(true))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            BODY_TIMEOUT.saturating_add(Duration::from_secs(20)),
        ))
}

/// How long a client may take to send a request's headers (slow-loris).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most connections served at once; further clients wait in the
/// listen backlog until one ends.
pub const MAX_CONNECTIONS: usize = 1024;

/// Serve on `listener` until the process ends (or ctrl-c).
///
/// The accept loop is written out (rather than `axum::serve`) for two
/// limits a hostile client must not get round: headers must arrive
/// within [`HEADER_TIMEOUT`], and at most [`MAX_CONNECTIONS`] connections
/// are open at once.
pub async fn serve(listener: tokio::net::TcpListener, site: Site) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let app = router(site);
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            p = Arc::clone(&slots).acquire_owned() => p,
        };
        let Ok(permit) = permit else { return Ok(()) };
        let stream = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait, do not exit.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            // A failed connection (reset, timed out) concerns that client
            // only.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
            drop(permit);
        });
    }
}

/// Bind `addr` and serve `site` (what `manjian serve` runs).
pub fn run_blocking(addr: SocketAddr, site: Site) -> std::io::Result<()> {
    // Few blocking threads (computations are capped at twice the cores
    // anyway): each thread may get its own malloc arena, and hundreds of
    // them let freed memory pile up under load (measured: RSS climbing
    // past 790 MB instead of levelling at about 260 MB).
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cores.saturating_mul(2).saturating_add(2))
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        println!(
            "manjian: serving http://{local}/ (files from {}{})",
            site.www.display(),
            if site.shop.is_some() {
                "; orders priced by its shop"
            } else {
                ""
            }
        );
        serve(listener, site).await
    })
}

fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The error document with the status its code calls for: 400 for
/// invalid input (413 past the size limit), 408 for a body that did not
/// arrive, 503 while shutting down, 500 for the engine's own failure.
fn error(e: Error) -> Response {
    let status = match e.code {
        ErrorCode::LimitExceeded if e.path.is_empty() => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    json(status, e.to_document())
}

async fn read_body(body: Body) -> Result<Bytes, Error> {
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_INPUT_BYTES)).await {
        Err(_) => Err(Error::request_timeout(BODY_TIMEOUT.as_secs())),
        Ok(Err(e)) => Err(body_error(&e)),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// Why a body could not be read: past the limit (413), or a body that
/// broke off or was framed wrongly, which is the request's fault too but
/// not a size (400).
fn body_error(e: &axum::Error) -> Error {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<http_body_util::LengthLimitError>() {
            return Error::too_large();
        }
        cause = c.source();
    }
    Error::unreadable_body(e)
}

/// Computations running at once: parsing a 4 MiB document builds a tree
/// several times its size, so an unbounded number of them would let a
/// burst of large requests take the server's memory. Others wait their
/// turn (their bodies are already read).
fn compute_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        tokio::sync::Semaphore::new(cores.saturating_mul(2))
    })
}

async fn run(op: Operation, body: Body) -> Response {
    compute(body, move |bytes| {
        op.slice_to_string(bytes).map(|doc| (StatusCode::OK, doc))
    })
    .await
}

/// `POST /api/order`: 200 when the page's digest is the server's, 409
/// when it is not, with the server's quote either way.
async fn order(shop: Option<Arc<Shop>>, body: Body) -> Response {
    let Some(shop) = shop else {
        return error(Error::unavailable_because(
            "this server takes no orders: it was started without --rules and --catalogue",
        ));
    };
    compute(body, move |bytes| {
        let text = std::str::from_utf8(bytes).map_err(Error::not_utf8)?;
        let verdict = super::order::check(&shop, text)?;
        let status = if verdict.accepted {
            StatusCode::OK
        } else {
            StatusCode::CONFLICT
        };
        Ok((status, verdict.text))
    })
    .await
}

/// Read the body, then run `f` on it on a blocking thread within the
/// computation slots.
async fn compute(
    body: Body,
    f: impl FnOnce(&[u8]) -> Result<(StatusCode, String), Error> + Send + 'static,
) -> Response {
    let bytes = match read_body(body).await {
        Ok(b) => b,
        Err(e) => return error(e),
    };
    let Ok(_slot) = compute_slots().acquire().await else {
        return error(Error::unavailable());
    };
    match tokio::task::spawn_blocking(move || f(&bytes)).await {
        Ok(Ok((status, doc))) => json(status, doc),
        Ok(Err(e)) => error(e),
        Err(_) => error(Error::internal("the computation stopped")),
    }
}
