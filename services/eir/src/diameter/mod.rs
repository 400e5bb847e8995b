//! The S13 interface for 4G MMEs: Diameter framing ([`codec`]), the AVP
//! dictionary from the specifications ([`dictionary`]), and the peer that
//! answers ME-Identity-Check ([`peer`]) from the same snapshot and rules as
//! the HTTP API.

pub mod codec;
pub mod dictionary;
pub mod peer;

use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::http::App;

/// Accepts S13 connections until `stop` (at most `max_connections` at once,
/// the HTTP limit), each served by [`peer::serve_connection`]; in-flight
/// answers finish, then connections close.
pub(crate) async fn accept_loop(
    app: Arc<App>,
    listener: TcpListener,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(app.config.http.max_connections));
    let mut tasks = tokio::task::JoinSet::new();
    while let Some((stream, permit)) =
        crate::server::next_connection(&listener, &slots, &mut stop).await
    {
        let (app, stop) = (app.clone(), stop.clone());
        tasks.spawn(async move {
            peer::serve_connection(app, stream, stop).await;
            drop(permit);
        });
    }
    drop(listener);
    let drain = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(crate::server::DRAIN, drain)
        .await
        .is_err()
    {
        tasks.abort_all();
    }
}
