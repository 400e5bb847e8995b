//! `spectra registry publish` and `spectra serve` as a user runs them: a
//! registry published to a snapshot, a token hashed from standard input, the
//! configuration checked, the service started as a process, asked over
//! HTTP/1.1, and stopped with SIGTERM (graceful: exit 0); a bad
//! configuration refused at start-up with its file and what was expected.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{spectra, stdout_of};

fn http_get(port: u16, path: &str, token: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn publish_then_serve_then_stop_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let d = |f: &str| dir.path().join(f).display().to_string();
    stdout_of(&["registry", "new-key", "--out", &d("owner.key")]);
    stdout_of(&[
        "datasets",
        "imei",
        "--rows",
        "10",
        "--out",
        &d("check.csv"),
        "--registry-out",
        &d("devices.csv"),
        "--registry-devices",
        "1000",
        "--tac-out",
        &d("tacs.csv"),
        "--quiet",
    ]);
    stdout_of(&[
        "registry",
        "import",
        &d("devices.csv"),
        "--key-file",
        &d("owner.key"),
        "--registry",
        &d("r.duckdb"),
    ]);
    stdout_of(&[
        "registry",
        "import-tac",
        &d("tacs.csv"),
        "--registry",
        &d("r.duckdb"),
    ]);
    let out = stdout_of(&[
        "registry",
        "publish",
        "--out",
        &d("r.snapshot"),
        "--registry",
        &d("r.duckdb"),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["devices"], 1000, "{out}");
    assert!(v["tacs"].as_u64().unwrap() > 0);

    let mut h = Command::new(env!("CARGO_BIN_EXE_spectra"))
        .args(["serve", "--hash-token"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    h.stdin.take().unwrap().write_all(b"s3cret\n").unwrap();
    let hash = String::from_utf8(h.wait_with_output().unwrap().stdout).unwrap();
    assert_eq!(hash.trim(), spectra_eir::config::token_sha256_hex("s3cret"));

    let port = free_port();
    let config = format!(
        "snapshot = \"r.snapshot\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n[[client]]\nname = \"amf\"\n\
         token_sha256 = \"{}\"\nscopes = [\"eir\", \"operator-api\"]\nrequests_per_second = 1000\n",
        hash.trim()
    );
    std::fs::write(dir.path().join("serve.toml"), &config).unwrap();
    let check = stdout_of(&["serve", "--config", &d("serve.toml"), "--check"]);
    assert!(check.contains("1000 devices"), "{check}");

    // A bad configuration: refused at start-up, nothing listens.
    std::fs::write(
        dir.path().join("bad.toml"),
        config.replace("127.0.0.1", "localhost"),
    )
    .unwrap();
    let bad = spectra(&["serve", "--config", &d("bad.toml")]);
    assert_ne!(bad.status.code(), Some(0));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("http.listen"),
        "{err}"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_spectra"))
        .args(["serve", "--config", &d("serve.toml")])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let imei = std::fs::read_to_string(dir.path().join("devices.csv"))
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let started = Instant::now();
    let answer = loop {
        if let Some(a) = http_get(
            port,
            &format!("/n5g-eir-eic/v1/equipment-status?pei=imei-{imei}"),
            "s3cret",
        ) {
            break a;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the service did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":\""), "{answer}");
    let info = http_get(port, &format!("/v1/imei/{imei}"), "s3cret").unwrap();
    assert!(info.contains("\"rule_version\""), "{info}");

    // SIGTERM: drained and ended with exit 0; the access log is JSON lines
    // without the clear token.
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("\"target\":\"spectra_eir::access\""), "{log}");
    assert!(!log.contains("s3cret"), "{log}");
}
