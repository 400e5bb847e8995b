//! The real server on a loopback port: every endpoint's status codes and
//! bodies, authentication, scopes and rate limits, request limits, HTTP/2
//! (h2c), and a snapshot swap under load with no failed request.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use imei_core::pseudonym::{PseudonymKey, write_key_file};
use imei_core::verdict::DeviceStatus;
use serde_json::Value;
use spectra_eir::Config;
use spectra_eir::config::token_sha256_hex;

use common::*;

fn client(h2: bool) -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new())
        .http2_only(h2)
        .build_http()
}

async fn call(
    c: &Client<HttpConnector, Full<Bytes>>,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: &str,
) -> (StatusCode, hyper::HeaderMap, String) {
    let mut b = Request::builder().method(method).uri(url);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    if !body.is_empty() {
        b = b.header("content-type", "application/json");
    }
    let r = c
        .request(b.body(Full::new(Bytes::from(body.to_string()))).unwrap())
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get(
    s: &Server,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, hyper::HeaderMap, String) {
    call(
        &client(false),
        Method::GET,
        &format!("{}{path}", s.base),
        token,
        "",
    )
    .await
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equipment_status_answers_as_ts_29_511() {
    let s = serve(r#"unknown_equipment = "not-found""#).await;
    let eir = |q: String| {
        let s = &s;
        async move {
            get(
                s,
                &format!("/n5g-eir-eic/v1/equipment-status?{q}"),
                Some("t-amf"),
            )
            .await
        }
    };
    for (pei, want) in [
        (format!("imei-{WHITE}"), "WHITELISTED"),
        (format!("imei-{BLACK}"), "BLACKLISTED"),
        (format!("imei-{CLONE}"), "GREYLISTED"),
        (format!("imeisv-{}01", &WHITE[..14]), "WHITELISTED"),
    ] {
        let (code, headers, body) = eir(format!("pei={pei}")).await;
        assert_eq!(code, StatusCode::OK, "{pei}: {body}");
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(json(&body)["status"], want, "{pei}");
    }
    // The pairing list's exception: allowed with its own SIM only.
    let (_, _, body) = eir(format!("pei=imei-{BLACK}&supi=imsi-{PAIRED_IMSI}")).await;
    assert_eq!(json(&body)["status"], "WHITELISTED");
    let (_, _, body) = eir(format!("pei=imei-{BLACK}&supi=imsi-437010000000002")).await;
    assert_eq!(json(&body)["status"], "BLACKLISTED");
    // Unknown equipment, as configured.
    let (code, headers, body) = eir(format!("pei=imei-{UNKNOWN}")).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(json(&body)["cause"], "ERROR_EQUIPMENT_UNKNOWN");
    // Malformed and missing PEIs and SUPIs.
    for (q, cause, param) in [
        (
            "pei=imei-3569380356438".to_string(),
            "MANDATORY_IE_INCORRECT",
            "pei",
        ),
        (
            "pei=mac-00-11-22-33-44-55".to_string(),
            "MANDATORY_IE_INCORRECT",
            "pei",
        ),
        (
            format!("pei=imei-{WHITE}&supi=nai-x@y"),
            "MANDATORY_IE_INCORRECT",
            "supi",
        ),
        (
            "supi=imsi-437010000000001".to_string(),
            "MANDATORY_IE_MISSING",
            "pei",
        ),
    ] {
        let (code, _, body) = eir(q.clone()).await;
        assert_eq!(code, StatusCode::BAD_REQUEST, "{q}");
        let v = json(&body);
        assert_eq!(v["cause"], cause, "{q}");
        assert_eq!(v["invalidParams"][0]["param"], param, "{q}");
    }
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_equipment_follows_the_verdict_rules_by_default() {
    let s = serve("").await;
    let (code, _, body) = get(
        &s,
        &format!("/n5g-eir-eic/v1/equipment-status?pei=imei-{UNKNOWN}"),
        Some("t-amf"),
    )
    .await;
    // Not registered, TAC known: grey, as the bulk check says.
    assert_eq!(
        (code, json(&body)["status"].clone()),
        (StatusCode::OK, "GREYLISTED".into())
    );
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_is_by_token_scope_and_rate() {
    let s = serve("").await;
    let path = format!("/n5g-eir-eic/v1/equipment-status?pei=imei-{WHITE}");
    let (code, headers, body) = get(&s, &path, None).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    assert_eq!(json(&body)["status"], 401);
    assert_eq!(
        get(&s, &path, Some("nope")).await.0,
        StatusCode::UNAUTHORIZED
    );
    // The operator's token has no `eir` scope, the AMF's no operator API.
    assert_eq!(get(&s, &path, Some("t-ops")).await.0, StatusCode::FORBIDDEN);
    let info = format!("/v1/imei/{WHITE}");
    assert_eq!(get(&s, &info, Some("t-amf")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&s, "/metrics", Some("t-amf")).await.0,
        StatusCode::FORBIDDEN
    );
    // One request a second with a burst of two: the third is refused.
    let codes = [
        get(&s, &path, Some("t-slow")).await.0,
        get(&s, &path, Some("t-slow")).await.0,
    ];
    assert_eq!(codes, [StatusCode::OK, StatusCode::OK]);
    let (code, headers, _) = get(&s, &path, Some("t-slow")).await;
    assert_eq!(code, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        headers["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    // Health needs no token.
    let (code, _, body) = get(&s, "/healthz", None).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(json(&body)["snapshot"]["devices"], 2);
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_api_gives_the_cli_object() {
    let s = serve("").await;
    let (code, _, body) = get(&s, &format!("/v1/imei/{CLONE}"), Some("t-ops")).await;
    assert_eq!(code, StatusCode::OK);
    let v = json(&body);
    // The same object as `spectra imei info --json` on the same data.
    let snap = snapshot(DeviceStatus::Black);
    let today = chrono::Utc::now().date_naive();
    let findings =
        imei_core::findings::Findings::on(&snap.findings, today, &snap.meta.rule_version);
    let want = imei_core::check::info(
        CLONE,
        imei_core::check::CheckContext {
            index: &snap.index,
            tacs: Some(&snap.tacs),
            findings: Some(&findings),
        },
    );
    assert_eq!(v, serde_json::to_value(&want).unwrap());
    assert_eq!(v["verdict"], "grey");
    assert_eq!(v["rule_version"], "conditions-sha256:abc");

    let c = client(false);
    let url = format!("{}/v1/imei/check", s.base);
    let body = format!(r#"{{"imeis": ["{WHITE}", "{BLACK}", "12"]}}"#);
    let (code, _, text) = call(&c, Method::POST, &url, Some("t-ops"), &body).await;
    assert_eq!(code, StatusCode::OK, "{text}");
    let v = json(&text);
    assert_eq!(v["count"], 3);
    let verdicts: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["allowed", "blocked", "blocked"]);
    // Over the batch limit, not JSON, and over the body limit.
    let four = format!(r#"{{"imeis": ["{WHITE}", "{WHITE}", "{WHITE}", "{WHITE}"]}}"#);
    let (code, _, text) = call(&c, Method::POST, &url, Some("t-ops"), &four).await;
    assert_eq!(code, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(
        json(&text)["detail"]
            .as_str()
            .unwrap()
            .contains("at most 3")
    );
    let (code, headers, _) = call(&c, Method::POST, &url, Some("t-ops"), "{imeis").await;
    assert!(code.is_client_error(), "{code}");
    assert_eq!(headers["content-type"], "application/problem+json");
    let big = format!(r#"{{"imeis": ["{}"]}}"#, "1".repeat(5000));
    let (code, _, _) = call(&c, Method::POST, &url, Some("t-ops"), &big).await;
    assert_eq!(code, StatusCode::PAYLOAD_TOO_LARGE);

    let (code, _, text) = get(&s, "/v1/tac/35693803", Some("t-ops")).await;
    assert_eq!(
        (code, json(&text)["model"].clone()),
        (StatusCode::OK, "M35693803".into())
    );
    assert_eq!(
        get(&s, "/v1/tac/99999999", Some("t-ops")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&s, "/v1/tac/3569", Some("t-ops")).await.0,
        StatusCode::BAD_REQUEST
    );
    // A request target over the limit.
    let long = format!("/v1/imei/{}", "9".repeat(600));
    assert_eq!(
        get(&s, &long, Some("t-ops")).await.0,
        StatusCode::URI_TOO_LONG
    );

    let (code, headers, text) = get(&s, "/metrics", Some("t-ops")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    assert!(
        text.contains("spectra_eir_requests_total{endpoint=\"imei-info\",code=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains("spectra_eir_snapshot_age_seconds"), "{text}");
    assert!(
        text.contains("spectra_eir_request_duration_seconds_bucket"),
        "{text}"
    );
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_cleartext_with_prior_knowledge() {
    let s = serve("").await;
    let c = client(true);
    let url = format!(
        "{}/n5g-eir-eic/v1/equipment-status?pei=imei-{BLACK}",
        s.base
    );
    let r = c
        .request(
            Request::get(url)
                .header("authorization", "Bearer t-amf")
                .body(Full::new(Bytes::new()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.version(), hyper::Version::HTTP_2);
    let body = r.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        json(&String::from_utf8_lossy(&body))["status"],
        "BLACKLISTED"
    );
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_snapshot_is_swapped_in_under_load_without_a_failed_request() {
    let s = serve("").await;
    let url = format!(
        "{}/n5g-eir-eic/v1/equipment-status?pei=imei-{BLACK}",
        s.base
    );
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut loops = Vec::new();
    for _ in 0..4 {
        let (url, stop, ok, failed) = (url.clone(), stop.clone(), ok.clone(), failed.clone());
        loops.push(tokio::spawn(async move {
            let c = client(false);
            while !stop.load(Ordering::Relaxed) {
                let (code, _, _) = call(&c, Method::GET, &url, Some("t-amf"), "").await;
                if code == StatusCode::OK {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The device is restored to the white list; a damaged file on the way
    // is refused and the snapshot in use kept.
    std::fs::write(s.snapshot.with_extension("tmp"), b"SPECTRA-EIR-SNP1 broken").unwrap();
    std::fs::rename(s.snapshot.with_extension("tmp"), &s.snapshot).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    write_snapshot(&s.snapshot, &snapshot(DeviceStatus::White));
    let c = client(false);
    let mut seen = String::new();
    for _ in 0..100 {
        let (_, _, body) = call(&c, Method::GET, &url, Some("t-amf"), "").await;
        seen = json(&body)["status"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if seen == "WHITELISTED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for l in loops {
        l.await.unwrap();
    }
    assert_eq!(seen, "WHITELISTED");
    assert_eq!(failed.load(Ordering::Relaxed), 0);
    assert!(ok.load(Ordering::Relaxed) > 20, "{ok:?}");
    let app = s.running.app().clone();
    assert_eq!(app.metrics.reload_failures.get(), 1);
    assert!(app.metrics.reloads.get() >= 1);
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_refuses_a_snapshot_and_key_that_do_not_go_together() {
    let dir = tempfile::tempdir().unwrap();
    write_snapshot(
        &dir.path().join("r.snapshot"),
        &snapshot(DeviceStatus::Black),
    );
    write_key_file(
        &dir.path().join("other.key"),
        &PseudonymKey::new(&[1u8; 32]).unwrap(),
    )
    .unwrap();
    let base = format!(
        "snapshot = \"r.snapshot\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[client]]\nname = \"a\"\n\
         token_sha256 = \"{}\"\nscopes = [\"eir\"]\nrequests_per_second = 10\n",
        token_sha256_hex("t")
    );
    // Pairs but no key, then the wrong key.
    let e = spectra_eir::start(Config::parse(&base, "serve.toml", dir.path()).unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("network_key_file is needed"), "{e}");
    let with_key = format!("network_key_file = \"other.key\"\n{base}");
    let e = spectra_eir::start(Config::parse(&with_key, "serve.toml", dir.path()).unwrap())
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("expected the network-monitoring key"),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_headers_are_refused_and_the_service_stays_up() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = serve("").await;
    let addr = s.running.http_addr;
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    let big = "x".repeat(100 * 1024);
    let req = format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n");
    let _ = c.write_all(req.as_bytes()).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), c.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.starts_with("HTTP/1.1 431"),
        "{:?}",
        &text[..text.len().min(200)]
    );
    // A client that sends half a request and stalls holds only its slot.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost:")
        .await
        .unwrap();
    let (code, _, _) = get(&s, "/healthz", None).await;
    assert_eq!(code, StatusCode::OK);
    s.running.shutdown().await;
}
