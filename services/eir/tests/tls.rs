//! HTTPS: the service with a certificate answers over TLS (HTTP/2 or
//! HTTP/1.1 by ALPN); with a client CA it requires a client certificate
//! chaining to it (mutual TLS) and refuses a client without one; a key that
//! does not match the certificate stops the start-up.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use imei_core::verdict::DeviceStatus;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use spectra_eir::Config;
use spectra_eir::config::token_sha256_hex;

use common::*;

struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server: (String, String),
    client: (CertificateDer<'static>, PrivateKeyDer<'static>),
    other_key_pem: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let client_key = KeyPair::generate().unwrap();
    let client_cert = CertificateParams::new(vec!["amf-1.operator.test".to_string()])
        .unwrap()
        .signed_by(&client_key, &issuer)
        .unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        ca_der: ca_cert.der().clone(),
        server: (server_cert.pem(), server_key.serialize_pem()),
        client: (
            client_cert.der().clone(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(client_key.serialize_der())),
        ),
        other_key_pem: KeyPair::generate().unwrap().serialize_pem(),
    }
}

async fn start(
    dir: &std::path::Path,
    pki: &Pki,
    mutual: bool,
) -> Result<spectra_eir::Running, spectra_eir::EirError> {
    write_snapshot(&dir.join("r.snapshot"), &snapshot(DeviceStatus::Black));
    let _ = imei_core::pseudonym::write_key_file(&dir.join("network.key"), &network_key());
    std::fs::write(dir.join("server.pem"), &pki.server.0).unwrap();
    std::fs::write(dir.join("server.key"), &pki.server.1).unwrap();
    std::fs::write(dir.join("other.key"), &pki.other_key_pem).unwrap();
    std::fs::write(dir.join("ca.pem"), &pki.ca_pem).unwrap();
    let text = format!(
        "snapshot = \"r.snapshot\"\nnetwork_key_file = \"network.key\"\n[http]\nlisten = \"127.0.0.1:0\"\n\
         [http.tls]\ncertificate = \"server.pem\"\nprivate_key = \"server.key\"\n{}\
         [[client]]\nname = \"amf\"\ntoken_sha256 = \"{}\"\nscopes = [\"eir\"]\nrequests_per_second = 1000\n",
        if mutual {
            "client_ca = \"ca.pem\"\n"
        } else {
            ""
        },
        token_sha256_hex("t")
    );
    spectra_eir::start(Config::parse(&text, "serve.toml", dir).unwrap()).await
}

/// One GET over TLS, offering `alpn`; `None` when the handshake fails.
async fn get(
    addr: std::net::SocketAddr,
    pki: &Pki,
    with_client_cert: bool,
    alpn: &[u8],
) -> Option<(hyper::Version, String)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca_der.clone()).unwrap();
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let mut config = if with_client_cert {
        builder
            .with_client_auth_cert(vec![pki.client.0.clone()], pki.client.1.clone_key())
            .unwrap()
    } else {
        builder.with_no_client_auth()
    };
    config.alpn_protocols = vec![alpn.to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .ok()?;
    let io = TokioIo::new(tls);
    let uri = format!("/n5g-eir-eic/v1/equipment-status?pei=imei-{BLACK}");
    let req = hyper::Request::get(&uri)
        .header("host", "localhost")
        .header("authorization", "Bearer t")
        .body(Empty::<Bytes>::new())
        .unwrap();
    let resp = if alpn == b"h2" {
        let (mut send, conn) =
            hyper::client::conn::http2::handshake(hyper_util::rt::TokioExecutor::new(), io)
                .await
                .ok()?;
        tokio::spawn(conn);
        send.send_request(req).await.ok()?
    } else {
        let (mut send, conn) = hyper::client::conn::http1::handshake(io).await.ok()?;
        tokio::spawn(conn);
        send.send_request(req).await.ok()?
    };
    let version = resp.version();
    let body = resp.into_body().collect().await.ok()?.to_bytes();
    Some((version, String::from_utf8_lossy(&body).into_owned()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_alpn_and_mutual_tls() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &pki, false).await.unwrap();
    let (v, body) = get(s.http_addr, &pki, false, b"h2").await.unwrap();
    assert_eq!(
        (v, body.as_str()),
        (hyper::Version::HTTP_2, r#"{"status":"BLACKLISTED"}"#)
    );
    let (v, _) = get(s.http_addr, &pki, false, b"http/1.1").await.unwrap();
    assert_eq!(v, hyper::Version::HTTP_11);
    s.shutdown().await;

    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &pki, true).await.unwrap();
    assert!(get(s.http_addr, &pki, false, b"h2").await.is_none());
    let (_, body) = get(s.http_addr, &pki, true, b"h2").await.unwrap();
    assert_eq!(body, r#"{"status":"BLACKLISTED"}"#);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_of_another_certificate_stops_the_start_up() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    write_snapshot(
        &dir.path().join("r.snapshot"),
        &snapshot(DeviceStatus::Black),
    );
    let _ = start(dir.path(), &pki, false).await.map(|_| ());
    let text = format!(
        "snapshot = \"r.snapshot\"\nnetwork_key_file = \"network.key\"\n[http]\nlisten = \"127.0.0.1:0\"\n\
         [http.tls]\ncertificate = \"server.pem\"\nprivate_key = \"other.key\"\n\
         [[client]]\nname = \"amf\"\ntoken_sha256 = \"{}\"\nscopes = [\"eir\"]\nrequests_per_second = 1000\n",
        token_sha256_hex("t")
    );
    let e = spectra_eir::start(Config::parse(&text, "serve.toml", dir.path()).unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("do not go together"), "{e}");
    let text = text.replace("other.key", "missing.key");
    let e = spectra_eir::start(Config::parse(&text, "serve.toml", dir.path()).unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("missing.key"), "{e}");
}
