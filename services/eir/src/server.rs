//! Running the service: load and check the snapshot, bind, accept
//! connections (at most `max_connections` at once) and serve each with
//! hyper-util's auto builder (HTTP/1.1 keep-alive and cleartext HTTP/2 with
//! prior knowledge, the h2c of SBI test setups; a header-read timeout
//! against slow clients), watch the snapshot file and swap a new one in
//! without dropping a request, move the findings to the next day at
//! midnight (UTC), and shut down gracefully: stop accepting, let in-flight
//! requests finish (up to a grace period), then return.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use imei_core::pseudonym::read_key_file;
use imei_core::purpose::NetworkPseudonyms;
use imei_core::snapshot::Snapshot;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::access::Clients;
use crate::config::Config;
use crate::equipment::Loaded;
use crate::error::EirError;
use crate::http::{App, router};
use crate::metrics::Metrics;

/// The most header bytes a request may send (HTTP/1.1 read buffer, HTTP/2
/// header list): with `max_connections` this bounds what clients can make
/// the service hold.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// How long in-flight requests may take to finish after a shutdown.
pub const DRAIN: Duration = Duration::from_secs(10);

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The file's identity for change detection: modification time and length.
fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Loads the configured snapshot and checks it against the key: a
/// snapshot with a pairing list needs the network key, and the key must be
/// the one its pseudonyms were made with.
fn load_app(config: Config) -> Result<App, EirError> {
    let snapshot = Snapshot::read_path(&config.snapshot)?;
    let pseudonyms = match &config.network_key_file {
        Some(path) => {
            let key = read_key_file(path)?;
            let want = &snapshot.meta.network_key_fingerprint;
            if !want.is_empty() && *want != key.fingerprint() {
                return Err(EirError::Config {
                    file: path.display().to_string(),
                    message: format!(
                        "expected the network-monitoring key of the snapshot (fingerprint {want}), found \
                         a key with fingerprint {}",
                        key.fingerprint()
                    ),
                });
            }
            Some(NetworkPseudonyms::new(&key))
        }
        None if snapshot.pair_count() > 0 => {
            return Err(EirError::Config {
                file: config.snapshot.display().to_string(),
                message: format!(
                    "the snapshot has {} pairs on the pairing list: network_key_file is needed to match \
                     SUPIs against them",
                    snapshot.pair_count()
                ),
            });
        }
        None => None,
    };
    if let Some(t) = &config.http.tls {
        crate::tls::server_config(t)?;
    }
    let metrics = Metrics::default();
    metrics.snapshot_devices.set(snapshot.index.len() as i64);
    Ok(App {
        clients: Clients::new(&config.clients),
        current: ArcSwap::from_pointee(Loaded::new(Arc::new(snapshot), today())),
        metrics,
        pseudonyms,
        config,
    })
}

/// A running service (see [`start`]).
#[derive(Debug)]
pub struct Running {
    /// The HTTP address bound.
    pub http_addr: SocketAddr,
    /// The S13 address bound, when configured.
    pub diameter_addr: Option<SocketAddr>,
    app: Arc<App>,
    stop: watch::Sender<bool>,
    done: tokio::task::JoinHandle<()>,
}

impl Running {
    /// The shared state (snapshot in use, metrics).
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Stops accepting, drains in-flight requests (up to [`DRAIN`]) and
    /// waits for the end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.done.await;
    }

    /// Waits until the service ends (after [`Running::shutdown`] from a
    /// clone of the stop signal, or a listener failure).
    pub async fn wait(self) {
        let _ = self.done.await;
    }

    /// A handle that stops the service.
    pub fn stopper(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }
}

/// Checks the snapshot file every `reload_interval`; a changed file is
/// loaded off the request threads and swapped in whole, a file that fails
/// to load is logged and counted and the previous snapshot kept; at a new
/// day (UTC) the findings are dated again.
async fn watch_snapshot(app: Arc<App>, mut stop: watch::Receiver<bool>) {
    let path = app.config.snapshot.clone();
    let mut seen = stamp(&path);
    loop {
        tokio::select! {
            _ = tokio::time::sleep(app.config.reload_interval) => {}
            _ = stop.changed() => return,
        }
        let now = stamp(&path);
        if now.is_some() && now != seen {
            seen = now;
            let p = path.clone();
            match tokio::task::spawn_blocking(move || Snapshot::read_path(&p)).await {
                Ok(Ok(s)) => {
                    let devices = s.index.len();
                    app.current
                        .store(Arc::new(Loaded::new(Arc::new(s), today())));
                    app.metrics.reloads.inc();
                    app.metrics.snapshot_devices.set(devices as i64);
                    tracing::info!(snapshot = %path.display(), devices, "snapshot swapped in");
                }
                Ok(Err(e)) => {
                    app.metrics.reload_failures.inc();
                    tracing::warn!(error = %e, "snapshot not loaded; the previous one stays in use");
                }
                Err(e) => {
                    app.metrics.reload_failures.inc();
                    tracing::warn!(error = %e, "snapshot loader failed; the previous one stays in use");
                }
            }
            continue;
        }
        let current = app.current.load();
        if current.date != today() {
            let snap = current.snapshot.clone();
            app.current.store(Arc::new(Loaded::new(snap, today())));
        }
    }
}

/// Loads the snapshot, binds and serves until stopped; returns once bound.
pub async fn start(config: Config) -> Result<Running, EirError> {
    let app = Arc::new(load_app(config)?);
    let addr = app.config.http.listen;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| EirError::Bind { addr, source })?;
    let http_addr = listener
        .local_addr()
        .map_err(|source| EirError::Bind { addr, source })?;
    let (stop, stop_rx) = watch::channel(false);
    let mut diameter_addr = None;
    let mut s13 = None;
    if let Some(d) = &app.config.diameter {
        let listener = TcpListener::bind(d.listen)
            .await
            .map_err(|source| EirError::Bind {
                addr: d.listen,
                source,
            })?;
        diameter_addr = Some(listener.local_addr().map_err(|source| EirError::Bind {
            addr: d.listen,
            source,
        })?);
        s13 = Some(tokio::spawn(crate::diameter::accept_loop(
            app.clone(),
            listener,
            stop_rx.clone(),
        )));
    }
    tokio::spawn(watch_snapshot(app.clone(), stop_rx.clone()));
    let http = accept_loop(app.clone(), listener, stop_rx);
    let done = tokio::spawn(async move {
        http.await;
        if let Some(s) = s13 {
            let _ = s.await;
        }
    });
    tracing::info!(%http_addr, ?diameter_addr, "spectra-eir listening");
    Ok(Running {
        http_addr,
        diameter_addr,
        app,
        stop,
        done,
    })
}

/// The next connection to serve with its slot (one of `slots`: a
/// connection beyond them waits to be accepted), or `None` once `stop`
/// fires; a failed accept is logged and retried. Both listeners (HTTP and
/// S13) accept through it.
pub(crate) async fn next_connection(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
    stop: &mut watch::Receiver<bool>,
) -> Option<(TcpStream, OwnedSemaphorePermit)> {
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => p.ok()?,
            _ = stop.changed() => return None,
        };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return None,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                return Some((stream, permit));
            }
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                drop(permit);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn accept_loop(app: Arc<App>, listener: TcpListener, mut stop: watch::Receiver<bool>) {
    let service = TowerToHyperService::new(router(app.clone()));
    let slots = Arc::new(Semaphore::new(app.config.http.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let tls = match &app.config.http.tls {
        // Checked at start-up: a configuration that loaded once loads again.
        Some(t) => match crate::tls::server_config(t) {
            Ok(c) => Some(tokio_rustls::TlsAcceptor::from(c)),
            Err(e) => {
                tracing::error!(error = %e, "TLS configuration");
                return;
            }
        },
        None => None,
    };
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(app.config.http.header_timeout)
        .max_buf_size(MAX_HEADER_BYTES)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(256)
        .max_header_list_size(MAX_HEADER_BYTES as u32)
        .keep_alive_interval(Some(Duration::from_secs(30)));
    while let Some((stream, permit)) = next_connection(&listener, &slots, &mut stop).await {
        match &tls {
            None => {
                let conn = builder
                    .serve_connection_with_upgrades(TokioIo::new(stream), service.clone())
                    .into_owned();
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                    drop(permit);
                });
            }
            Some(acceptor) => {
                // The handshake runs in the connection's task, bounded by the
                // header timeout, so a slow client holds only its own slot.
                let (acceptor, builder, service) =
                    (acceptor.clone(), builder.clone(), service.clone());
                let watcher = graceful.watcher();
                let limit = app.config.http.header_timeout;
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) = tokio::time::timeout(limit, acceptor.accept(stream)).await
                    {
                        let conn = builder
                            .serve_connection_with_upgrades(TokioIo::new(tls), service)
                            .into_owned();
                        let _ = watcher.watch(conn).await;
                    }
                    drop(permit);
                });
            }
        }
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the drain period; closing");
    }
}

/// Runs the service on its own runtime until SIGINT or SIGTERM (what
/// `spectra serve` calls).
pub fn run_blocking(config: Config) -> Result<(), EirError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(EirError::Runtime)?;
    rt.block_on(async move {
        let running = start(config).await?;
        let stopper = running.stopper();
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutting down: draining in-flight requests");
            let _ = stopper.send(true);
        });
        running.wait().await;
        Ok(())
    })
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
