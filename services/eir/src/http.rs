//! The HTTP API (axum over hyper): N5g-eir `equipment-status` (3GPP TS
//! 29.511 V18), the operators' JSON API, `/healthz` and `/metrics`. Every
//! request goes through one gate ([`gate`]): request-target length, the
//! bearer token and scope of the path, the client's rate, a time limit, the
//! metrics and the access log (client, endpoint, status, verdict and the
//! SUPI's keyed pseudonym — never a clear SUPI). Errors are ProblemDetails
//! (`application/problem+json`, TS 29.571).

use std::sync::Arc;
use std::time::Instant;

use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use imei_core::purpose::NetworkPseudonyms;
use serde_json::json;

use crate::access::{Clients, Denied};
use crate::config::{Config, Scope};
use crate::equipment::{EquipmentStatus, Loaded, Outcome, check, pei_digits, supi_digits};
use crate::metrics::{EndpointLabels, Metrics, RequestLabels, StatusLabels, code_label};

/// What every request reads.
#[derive(Debug)]
pub struct App {
    /// The configuration.
    pub config: Config,
    /// The snapshot in use, swapped whole.
    pub current: ArcSwap<Loaded>,
    /// The clients.
    pub clients: Clients,
    /// The metrics.
    pub metrics: Metrics,
    /// The network-monitoring pseudonymiser (pairing list, access log).
    pub pseudonyms: Option<NetworkPseudonyms>,
}

impl App {
    /// The equipment check of `imei` (digits of a PEI) for the IMSI digits
    /// of a SUPI or User-Name, the one way HTTP and S13 decide: the IMSI is
    /// pseudonymised under the network key (for the pairing list and the
    /// access log; never kept in clear), then [`check`] on the snapshot in
    /// use. Returns the outcome and the pseudonym.
    pub fn check_equipment(&self, imei: &str, imsi: Option<&str>) -> (Outcome, Option<String>) {
        let pseudonym = match (imsi, &self.pseudonyms) {
            (Some(i), Some(p)) => Some(crate::equipment::supi_pseudonym(p, i)),
            _ => None,
        };
        let outcome = check(
            &self.current.load(),
            imei,
            pseudonym.as_deref(),
            self.config.unknown_equipment,
        );
        (outcome, pseudonym)
    }
}

/// What a handler tells the gate for the access log and the metrics.
#[derive(Debug, Clone, Default)]
struct Logged {
    status: Option<&'static str>,
    supi: Option<String>,
}

/// A ProblemDetails answer (`application/problem+json`) of `body`.
fn problem_json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

/// A ProblemDetails answer.
pub fn problem(status: StatusCode, cause: Option<&str>, detail: &str) -> Response {
    let mut body = json!({
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if let (Some(c), Some(obj)) = (cause, body.as_object_mut()) {
        obj.insert("cause".into(), json!(c));
    }
    problem_json(status, body)
}

fn invalid_param(param: &str, reason: &str, cause: &str) -> Response {
    problem_json(
        StatusCode::BAD_REQUEST,
        json!({
            "title": "Bad Request",
            "status": 400,
            "detail": format!("{param}: {reason}"),
            "cause": cause,
            "invalidParams": [{"param": param, "reason": reason}],
        }),
    )
}

/// The endpoint label and scope of a path (`None`: no authentication).
fn route_of(path: &str) -> (&'static str, Option<Scope>) {
    if path.starts_with("/n5g-eir-eic/") {
        ("equipment-status", Some(Scope::Eir))
    } else if path == "/v1/imei/check" {
        ("imei-check", Some(Scope::OperatorApi))
    } else if path.starts_with("/v1/imei/") {
        ("imei-info", Some(Scope::OperatorApi))
    } else if path.starts_with("/v1/tac/") {
        ("tac", Some(Scope::OperatorApi))
    } else if path == "/metrics" {
        ("metrics", Some(Scope::Metrics))
    } else if path == "/healthz" {
        ("healthz", None)
    } else {
        ("other", Some(Scope::OperatorApi))
    }
}

/// The gate every request passes (see the module docs).
async fn gate(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let target_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let (endpoint, scope) = route_of(req.uri().path());
    let mut client = String::from("-");
    let response = if target_len > app.config.http.max_uri_bytes {
        problem(
            StatusCode::URI_TOO_LONG,
            None,
            &format!(
                "the request target is {target_len} bytes; at most {} are accepted",
                app.config.http.max_uri_bytes
            ),
        )
    } else {
        let admitted = match scope {
            None => Ok(None),
            Some(s) => app
                .clients
                .admit(
                    req.headers()
                        .get(header::AUTHORIZATION)
                        .map(HeaderValue::as_bytes),
                    s,
                )
                .map(Some),
        };
        match admitted {
            Err(Denied::Unauthenticated) => {
                let mut r = problem(
                    StatusCode::UNAUTHORIZED,
                    None,
                    "a bearer token of a configured client is required",
                );
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"spectra-eir\""),
                );
                r
            }
            Err(Denied::Forbidden { client: c, scope }) => {
                client = c;
                problem(
                    StatusCode::FORBIDDEN,
                    None,
                    &format!("this client does not have the scope {}", scope.name()),
                )
            }
            Err(Denied::RateLimited {
                client: c,
                retry_after,
            }) => {
                client = c;
                let mut r = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    None,
                    "over this client's request rate",
                );
                let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                r
            }
            Ok(a) => {
                if let Some(a) = a {
                    client.clone_from(&a.client.name);
                }
                match tokio::time::timeout(app.config.http.request_timeout, next.run(req)).await {
                    Ok(r) => r,
                    Err(_) => problem(
                        StatusCode::SERVICE_UNAVAILABLE,
                        None,
                        "the request took longer than the service allows",
                    ),
                }
            }
        }
    };
    let code = response.status().as_u16();
    let logged = response
        .extensions()
        .get::<Logged>()
        .cloned()
        .unwrap_or_default();
    app.metrics
        .requests
        .get_or_create(&RequestLabels {
            endpoint,
            code: code_label(code),
        })
        .inc();
    let elapsed = started.elapsed();
    app.metrics
        .latency
        .get_or_create(&EndpointLabels { endpoint })
        .observe(elapsed.as_secs_f64());
    if let Some(s) = logged.status {
        app.metrics
            .statuses
            .get_or_create(&StatusLabels { status: s })
            .inc();
    }
    tracing::info!(
        target: "spectra_eir::access",
        client = %client,
        endpoint,
        code,
        status = logged.status.unwrap_or("-"),
        supi = logged.supi.as_deref().unwrap_or("-"),
        micros = elapsed.as_micros() as u64,
    );
    response
}

/// Query of `equipment-status`.
#[derive(Debug, serde::Deserialize)]
struct EquipmentQuery {
    pei: Option<String>,
    supi: Option<String>,
    #[allow(dead_code)] // Accepted as TS 29.511 defines it; not used to decide.
    gpsi: Option<String>,
}

fn with_logged(mut r: Response, logged: Logged) -> Response {
    r.extensions_mut().insert(logged);
    r
}

async fn equipment_status(
    State(app): State<Arc<App>>,
    q: Result<Query<EquipmentQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return invalid_param(
            "query",
            "expected pei, supi and gpsi as URL-encoded parameters",
            "MANDATORY_IE_INCORRECT",
        );
    };
    let Some(pei) = q.pei.as_deref() else {
        return invalid_param("pei", "the PEI is missing", "MANDATORY_IE_MISSING");
    };
    let imei = match pei_digits(pei) {
        Ok(d) => d,
        Err(e) => return invalid_param(e.param, &e.reason, "MANDATORY_IE_INCORRECT"),
    };
    let supi = match q.supi.as_deref().map(supi_digits).transpose() {
        Ok(s) => s,
        Err(e) => return invalid_param(e.param, &e.reason, "MANDATORY_IE_INCORRECT"),
    };
    let (outcome, pseudonym) = app.check_equipment(imei, supi);
    let logged = Logged {
        status: Some(outcome.name()),
        supi: pseudonym,
    };
    let response = match outcome {
        Outcome::Status(s) => axum::Json(json!({ "status": s.name() })).into_response(),
        Outcome::Unknown => problem(
            StatusCode::NOT_FOUND,
            Some("ERROR_EQUIPMENT_UNKNOWN"),
            "the equipment is not known to the registry",
        ),
    };
    with_logged(response, logged)
}

async fn imei_info(State(app): State<Arc<App>>, Path(imei): Path<String>) -> Response {
    let info = app.current.load().info(&imei);
    let status = EquipmentStatus::of(info.verdict).name();
    with_logged(
        axum::Json(info).into_response(),
        Logged {
            status: Some(status),
            supi: None,
        },
    )
}

/// Body of `POST /v1/imei/check`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckBody {
    imeis: Vec<String>,
}

async fn imei_check(
    State(app): State<Arc<App>>,
    body: Result<axum::Json<CheckBody>, JsonRejection>,
) -> Response {
    let body = match body {
        Ok(axum::Json(b)) => b,
        Err(e) => {
            return problem(
                e.status(),
                None,
                &format!(
                    "expected a JSON object {{\"imeis\": [\"…\"]}}: {}",
                    e.body_text()
                ),
            );
        }
    };
    let max = app.config.http.max_batch;
    if body.imeis.len() > max {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            &format!(
                "{} IMEIs in one call; at most {max} are accepted",
                body.imeis.len()
            ),
        );
    }
    let loaded = app.current.load();
    let results: Vec<_> = body.imeis.iter().map(|i| loaded.info(i)).collect();
    axum::Json(json!({
        "count": results.len(),
        "snapshot": loaded.snapshot.meta.created_at,
        "results": results,
    }))
    .into_response()
}

async fn tac(State(app): State<Arc<App>>, Path(tac): Path<String>) -> Response {
    let parsed = (tac.len() == 8 && tac.bytes().all(|b| b.is_ascii_digit()))
        .then(|| tac.parse::<u32>().ok())
        .flatten();
    let Some(t) = parsed else {
        return invalid_param(
            "tac",
            &format!(
                "expected 8 digits, found {:?}",
                tac.chars().take(40).collect::<String>()
            ),
            "MANDATORY_IE_INCORRECT",
        );
    };
    match app.current.load().snapshot.tacs.get(t) {
        Some(r) => axum::Json(r).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            None,
            "the TAC is not in the TAC database",
        ),
    }
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    let loaded = app.current.load();
    axum::Json(json!({
        "status": "ok",
        "snapshot": {
            "created_at": loaded.snapshot.meta.created_at,
            "devices": loaded.snapshot.index.len(),
            "findings_date": loaded.date.to_string(),
        },
    }))
    .into_response()
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    let loaded = app.current.load();
    let age = chrono::DateTime::parse_from_rfc3339(&loaded.snapshot.meta.created_at)
        .map(|t| {
            (chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_milliseconds() as f64 / 1e3
        })
        .unwrap_or(f64::NAN);
    app.metrics.snapshot_age.set(age);
    app.metrics
        .snapshot_devices
        .set(loaded.snapshot.index.len() as i64);
    let mut r = app.metrics.encode().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    r
}

async fn not_found() -> Response {
    problem(StatusCode::NOT_FOUND, None, "no such resource")
}

/// The router of `app`.
pub fn router(app: Arc<App>) -> Router {
    let limit = app.config.http.max_body_bytes;
    Router::new()
        .route("/n5g-eir-eic/v1/equipment-status", get(equipment_status))
        .route("/v1/imei/check", post(imei_check))
        .route("/v1/imei/{imei}", get(imei_info))
        .route("/v1/tac/{tac}", get(tac))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(app.clone(), gate))
        .with_state(app)
}
