//! Serving the router over TCP (HTTP/1.1) with timeouts and a cap on open connections, so that
//! slow or idle clients cannot hold the server's sockets and file descriptors:
//!
//! - **connection cap** ([`ConnectionLimits::max_connections`]): a connection beyond it is
//!   answered at once with a short 503 `too-many-connections` problem (with `Retry-After`) and
//!   closed;
//! - **header read** ([`ConnectionLimits::header_read_timeout`]): a client has this long, from
//!   opening the connection or from the first byte of a later request, to send the complete
//!   request line and headers (a slow-loris client is cut off);
//! - **request body** ([`ConnectionLimits::body_timeout`]): the whole body must arrive within
//!   this time after the headers; a late body fails the request (400 naming the time limit);
//! - **idle keep-alive** ([`ConnectionLimits::idle_timeout`]): a connection kept open between
//!   requests with nothing sent either way is closed after this long;
//! - **total request time** ([`ConnectionLimits::request_timeout`]): a request not answered
//!   within this time is answered 503 `request-time-limit` (heavy work has its own, shorter
//!   budget: see [`crate::heavy`]).
//!
//! On Ctrl-C or SIGTERM the server stops accepting, lets open requests finish (at most
//! [`SHUTDOWN_GRACE`]) and returns.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Sleep;
use tower_service::Service;

use crate::problem::Problem;

/// How long open requests may run on after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Connections refused at once while the cap is reached, at most (further ones are closed
/// without an answer).
const REFUSALS_AT_ONCE: usize = 256;

/// Timeouts and the cap on open connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Open connections at most; further ones are refused with a 503 answer.
    pub max_connections: usize,
    /// Time to send a request's line and headers.
    pub header_read_timeout: Duration,
    /// Time to send a request's body, once the headers are in.
    pub body_timeout: Duration,
    /// Time a connection may stay open with nothing sent either way between requests.
    pub idle_timeout: Duration,
    /// Time to answer a request, once its headers are in.
    pub request_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 512,
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(120),
            idle_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(180),
        }
    }
}

/// Serves `router` on `listener` until Ctrl-C (or SIGTERM).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &ConnectionLimits,
) -> Result<(), crate::ServerError> {
    serve_until(listener, router, limits.clone(), shutdown()).await;
    Ok(())
}

/// Serves `router` on `listener` until `stop` completes; then lets open requests finish (at most
/// [`SHUTDOWN_GRACE`]).
pub async fn serve_until(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) {
    let max = limits.max_connections.max(1);
    let limits = Arc::new(limits);
    let open = Arc::new(Semaphore::new(max));
    let refusing = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let (stopping, stop_rx) = watch::channel(false);
    tokio::pin!(stop);
    loop {
        let (stream, remote) = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        match open.clone().try_acquire_owned() {
            Ok(permit) => {
                let router = router.clone();
                let limits = limits.clone();
                let stop_rx = stop_rx.clone();
                tokio::spawn(async move {
                    connection(stream, remote, router, &limits, stop_rx).await;
                    drop(permit);
                });
            }
            Err(_) => {
                tracing::warn!(%remote, "connection refused: {max} connections are open");
                if let Ok(permit) = refusing.clone().try_acquire_owned() {
                    tokio::spawn(async move {
                        refuse(stream).await;
                        drop(permit);
                    });
                }
            }
        }
    }
    let _ = stopping.send(true);
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, open.acquire_many(all)).await;
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// The answer to a connection over the cap: a 503 problem, then the connection is closed
/// (within a second).
async fn refuse(mut stream: TcpStream) {
    let mut problem = Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "too-many-connections",
        "Too many connections",
        "the server has as many open connections as it accepts; try again in a few seconds",
    );
    problem.retry_after = Some(5);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {}\r\nretry-after: 5\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        crate::problem::PROBLEM_JSON,
        body.len()
    );
    // Wait a moment for the request first: an HTTP client takes an answer that comes before
    // its request for a broken connection.
    let mut received = Vec::new();
    let mut chunk = [0u8; 2048];
    let _ = tokio::time::timeout(Duration::from_millis(500), async {
        while !received.windows(4).any(|w| w == b"\r\n\r\n") && received.len() < 16 * 1024 {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    let answer = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await?;
        stream.shutdown().await?;
        // Read what else the client sent for a moment, so that closing does not reset the
        // connection before the client has read the answer.
        while stream.read(&mut chunk).await? > 0 {}
        Ok::<_, std::io::Error>(())
    };
    let _ = tokio::time::timeout(Duration::from_millis(250), answer).await;
}

/// One connection: HTTP/1.1 with the timeouts watched.
async fn connection(
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    limits: &Arc<ConnectionLimits>,
    mut stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let service = {
        let activity = activity.clone();
        let limits = limits.clone();
        hyper::service::service_fn(move |request: Request<Incoming>| {
            let mut router = router.clone();
            let activity = activity.clone();
            let limits = limits.clone();
            async move {
                let _request = activity.begin();
                let (mut parts, body) = request.into_parts();
                parts.extensions.insert(ConnectInfo(remote));
                let body = Body::new(DeadlineBody::new(Body::new(body), limits.body_timeout));
                let request = Request::from_parts(parts, body);
                let answer =
                    tokio::time::timeout(limits.request_timeout, router.call(request)).await;
                Ok::<_, Infallible>(match answer {
                    Ok(Ok(response)) => response,
                    Ok(Err(never)) => match never {},
                    Err(_) => request_too_long(limits.request_timeout).into_response(),
                })
            }
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    // The header-read timeout is watched below: hyper's own would also cut idle keep-alive
    // connections after it.
    builder.header_read_timeout(None).keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let tick = (limits.header_read_timeout.min(limits.idle_timeout) / 4)
        .clamp(Duration::from_millis(10), Duration::from_secs(1));
    let mut watch = tokio::time::interval(tick);
    watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stopping = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%remote, error = %e, "connection ended with an error");
                }
                break;
            }
            _ = watch.tick() => {
                if let Some(why) = activity.expired(limits) {
                    tracing::debug!(%remote, "closing the connection: {why}");
                    break;
                }
            }
            changed = stop.changed(), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// 503: the request was not answered within the total request time.
fn request_too_long(limit: Duration) -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "request-time-limit",
        "Request took too long",
        format!(
            "the server could not answer within the {} seconds it allows a request; try again later, or with a smaller request",
            seconds(limit)
        ),
    )
}

/// What a connection has been doing, for its timeouts. Times are milliseconds since the
/// connection opened.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    /// Last time bytes were read or written.
    last_io: AtomicU64,
    /// One more than the time the headers of the next request started (the connection's
    /// opening for its first request); zero when no request is being read.
    head_since: AtomicU64,
    /// Requests being answered.
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last_io: AtomicU64::new(0),
            head_since: AtomicU64::new(1),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn read(&self) {
        let now = self.now();
        self.last_io.store(now, Ordering::Relaxed);
        if self.in_flight.load(Ordering::Acquire) == 0 {
            let _ = self.head_since.compare_exchange(
                0,
                now.saturating_add(1),
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }

    fn wrote(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    /// A request's headers are in: until the guard goes, the connection is busy.
    fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.head_since.store(0, Ordering::Release);
        InFlight(self.clone())
    }

    /// Why the connection should be closed now, if it should.
    fn expired(&self, limits: &ConnectionLimits) -> Option<&'static str> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let now = self.now();
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let head = self.head_since.load(Ordering::Acquire);
        if head > 0 && now.saturating_sub(head - 1) >= millis(limits.header_read_timeout) {
            return Some("the request headers did not arrive in time");
        }
        if now.saturating_sub(self.last_io.load(Ordering::Relaxed)) >= millis(limits.idle_timeout) {
            return Some("idle");
        }
        None
    }
}

struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.wrote();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The socket, noting each read and write in the connection's [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The request body did not arrive within the body timeout.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within the {0} seconds this server allows")]
pub struct BodyTimeout(String);

/// A request body that fails once its time is up.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
    limit: Duration,
}

impl DeadlineBody {
    fn new(inner: Body, limit: Duration) -> DeadlineBody {
        DeadlineBody {
            inner,
            deadline: Box::pin(tokio::time::sleep(limit)),
            limit,
        }
    }
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    Poll::Ready(Some(Err(axum::Error::new(BodyTimeout(seconds(
                        this.limit,
                    ))))))
                } else {
                    Poll::Pending
                }
            }
            ready => ready,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A duration in seconds as people read it: `10`, `0.6`.
pub(crate) fn seconds(d: Duration) -> String {
    let whole = d.as_secs();
    let millis = d.subsec_millis();
    if millis == 0 {
        whole.to_string()
    } else {
        format!("{}", d.as_secs_f64())
    }
}
