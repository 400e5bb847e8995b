//! The S13 Diameter peer on a loopback port: capabilities exchange, the
//! allowed-peer list, ME-Identity-Check answers for each kind of device,
//! watchdog and disconnect, every kind of malformed message (answered, the
//! peer and the service still up) — with our own codec as the client, and
//! with an independent implementation, the `python-diameter` package
//! (installed by this test into `~/.cache/spectra/venv-diameter` from
//! `tests/s13/requirements.txt`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::process::Command;

use spectra_eir::diameter::codec::{self, Avp, FLAG_ERROR, FLAG_REQUEST, Header, Message};
use spectra_eir::diameter::dictionary::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use common::*;

const DIAMETER: &str = r#"unknown_equipment = "not-found"
[diameter]
listen = "127.0.0.1:0"
origin_host = "eir.test"
origin_realm = "test"
allowed_peers = ["mme.test"]
"#;

fn request(code: u32, application: u32, hop: u32, avps: Vec<Avp>) -> Message {
    Message {
        header: Header {
            length: 0,
            flags: FLAG_REQUEST,
            code,
            application,
            hop_by_hop: hop,
            end_to_end: hop,
        },
        avps,
    }
}

fn origin(host: &str) -> Vec<Avp> {
    vec![
        Avp::text(AVP_ORIGIN_HOST, None, host),
        Avp::text(AVP_ORIGIN_REALM, None, "test"),
    ]
}

fn cer(host: &str) -> Message {
    let mut avps = origin(host);
    avps.push(Avp::u32(AVP_AUTH_APPLICATION_ID, None, APP_S13));
    request(CMD_CAPABILITIES_EXCHANGE, 0, 1, avps)
}

fn ecr(hop: u32, imei: &str, sv: Option<&str>, imsi: Option<&str>) -> Message {
    let mut ti = vec![Avp::text(AVP_IMEI, Some(VENDOR_3GPP), imei)];
    if let Some(v) = sv {
        ti.push(Avp::text(AVP_SOFTWARE_VERSION, Some(VENDOR_3GPP), v));
    }
    let mut avps = vec![Avp::text(
        AVP_SESSION_ID,
        None,
        &format!("mme.test;1;{hop}"),
    )];
    avps.extend(origin("mme.test"));
    avps.push(Avp::text(AVP_DESTINATION_REALM, None, "test"));
    avps.push(Avp::u32(AVP_AUTH_SESSION_STATE, None, NO_STATE_MAINTAINED));
    avps.push(Avp::grouped(
        AVP_TERMINAL_INFORMATION,
        Some(VENDOR_3GPP),
        &ti,
    ));
    if let Some(i) = imsi {
        avps.push(Avp::text(AVP_USER_NAME, None, i));
    }
    request(CMD_ME_IDENTITY_CHECK, APP_S13, hop, avps)
}

async fn send(s: &mut TcpStream, bytes: &[u8]) -> Option<Message> {
    s.write_all(bytes).await.ok()?;
    let mut head = [0u8; codec::HEADER_LEN];
    s.read_exact(&mut head).await.ok()?;
    let h = codec::decode_header(&head, 1 << 20).ok()?;
    let mut body = vec![0u8; h.length - codec::HEADER_LEN];
    s.read_exact(&mut body).await.ok()?;
    let mut all = head.to_vec();
    all.extend(body);
    Some(codec::decode(&all, 1 << 20).unwrap())
}

fn result(m: &Message) -> Option<u32> {
    m.avp(AVP_RESULT_CODE, None).and_then(Avp::as_u32)
}

fn status(m: &Message) -> Option<u32> {
    m.avp(AVP_EQUIPMENT_STATUS, Some(VENDOR_3GPP))
        .and_then(Avp::as_u32)
}

async fn connected(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let cea = send(&mut s, &cer("mme.test").encode()).await.unwrap();
    assert_eq!(result(&cea), Some(DIAMETER_SUCCESS));
    assert_eq!(
        cea.avp(AVP_ORIGIN_HOST, None).and_then(Avp::as_text),
        Some("eir.test")
    );
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_identity_check_answers_each_kind_of_device() {
    let srv = serve(DIAMETER).await;
    let addr = srv.running.diameter_addr.unwrap();
    let mut s = connected(addr).await;
    for (hop, imei, sv, imsi, want) in [
        (10, BLACK, None, None, EQUIPMENT_BLACKLISTED),
        (11, &BLACK[..14], Some("01"), None, EQUIPMENT_BLACKLISTED),
        (12, WHITE, None, None, EQUIPMENT_WHITELISTED),
        (13, CLONE, None, None, EQUIPMENT_GREYLISTED),
        (14, BLACK, None, Some(PAIRED_IMSI), EQUIPMENT_WHITELISTED),
        (
            15,
            BLACK,
            None,
            Some("437010000000002"),
            EQUIPMENT_BLACKLISTED,
        ),
    ] {
        let eca = send(&mut s, &ecr(hop, imei, sv, imsi).encode())
            .await
            .unwrap();
        assert_eq!(eca.header.hop_by_hop, hop);
        assert_eq!(eca.header.flags & FLAG_REQUEST, 0);
        assert_eq!(result(&eca), Some(DIAMETER_SUCCESS), "{imei}");
        assert_eq!(status(&eca), Some(want), "{imei} {imsi:?}");
        assert_eq!(
            eca.avp(AVP_SESSION_ID, None).and_then(Avp::as_text),
            Some(format!("mme.test;1;{hop}").as_str())
        );
    }
    // Unknown equipment: Experimental-Result 5422 (3GPP), no status.
    let eca = send(&mut s, &ecr(20, UNKNOWN, None, None).encode())
        .await
        .unwrap();
    let exp = eca
        .avp(AVP_EXPERIMENTAL_RESULT, None)
        .unwrap()
        .as_grouped()
        .unwrap();
    let code = exp
        .iter()
        .find(|a| a.code == AVP_EXPERIMENTAL_RESULT_CODE)
        .unwrap();
    assert_eq!(code.as_u32(), Some(DIAMETER_ERROR_EQUIPMENT_UNKNOWN));
    assert_eq!(status(&eca), None);
    // Watchdog, then disconnect: answered, then closed.
    let dwa = send(
        &mut s,
        &request(CMD_DEVICE_WATCHDOG, 0, 30, origin("mme.test")).encode(),
    )
    .await
    .unwrap();
    assert_eq!(result(&dwa), Some(DIAMETER_SUCCESS));
    let dpa = send(
        &mut s,
        &request(CMD_DISCONNECT_PEER, 0, 31, origin("mme.test")).encode(),
    )
    .await
    .unwrap();
    assert_eq!(result(&dpa), Some(DIAMETER_SUCCESS));
    let mut byte = [0u8; 1];
    assert_eq!(s.read(&mut byte).await.unwrap(), 0);
    srv.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_get_the_right_answer_and_never_stop_the_peer() {
    let srv = serve(DIAMETER).await;
    let addr = srv.running.diameter_addr.unwrap();
    // A peer that is not allowed, and a request before the exchange.
    let mut s = TcpStream::connect(addr).await.unwrap();
    let cea = send(&mut s, &cer("rogue.test").encode()).await.unwrap();
    assert_eq!(result(&cea), Some(DIAMETER_UNKNOWN_PEER));
    assert_ne!(cea.header.flags & FLAG_ERROR, 0);
    let mut s = TcpStream::connect(addr).await.unwrap();
    let a = send(&mut s, &ecr(2, WHITE, None, None).encode())
        .await
        .unwrap();
    assert_eq!(result(&a), Some(DIAMETER_UNKNOWN_PEER));

    let mut s = connected(addr).await;
    // Missing Terminal-Information, a bad IMEI, a bad software version.
    let mut no_ti = ecr(40, WHITE, None, None);
    no_ti.avps.retain(|a| a.code != AVP_TERMINAL_INFORMATION);
    let a = send(&mut s, &no_ti.encode()).await.unwrap();
    assert_eq!(result(&a), Some(DIAMETER_MISSING_AVP));
    assert!(a.avp(AVP_FAILED_AVP, None).is_some());
    for (imei, sv) in [
        ("3569380356", None),
        ("35693803564380X", None),
        (WHITE, Some("1")),
    ] {
        let a = send(&mut s, &ecr(41, imei, sv, None).encode())
            .await
            .unwrap();
        assert_eq!(
            result(&a),
            Some(DIAMETER_INVALID_AVP_VALUE),
            "{imei} {sv:?}"
        );
    }
    // An unknown command and the wrong application: protocol errors (E).
    let a = send(
        &mut s,
        &request(999, APP_S13, 42, origin("mme.test")).encode(),
    )
    .await
    .unwrap();
    assert_eq!(result(&a), Some(DIAMETER_COMMAND_UNSUPPORTED));
    assert_ne!(a.header.flags & FLAG_ERROR, 0);
    let mut wrong_app = ecr(43, WHITE, None, None);
    wrong_app.header.application = 16_777_251;
    let a = send(&mut s, &wrong_app.encode()).await.unwrap();
    assert_eq!(result(&a), Some(DIAMETER_APPLICATION_UNSUPPORTED));
    // An AVP whose length runs past the message: 5014, and the connection
    // still answers.
    let mut bytes = ecr(44, WHITE, None, None).encode();
    bytes[codec::HEADER_LEN + 6] = 0x7F;
    let a = send(&mut s, &bytes).await.unwrap();
    assert_eq!(result(&a), Some(DIAMETER_INVALID_AVP_LENGTH));
    let a = send(&mut s, &ecr(45, WHITE, None, None).encode())
        .await
        .unwrap();
    assert_eq!(status(&a), Some(EQUIPMENT_WHITELISTED));
    // A header that cannot be trusted: answered 3008, then closed.
    let mut bytes = ecr(46, WHITE, None, None).encode();
    bytes[0] = 9;
    let a = send(&mut s, &bytes).await.unwrap();
    assert_eq!(result(&a), Some(DIAMETER_INVALID_HDR_BITS));
    let mut byte = [0u8; 1];
    assert_eq!(s.read(&mut byte).await.unwrap_or(0), 0);
    // Garbage and a peer that hangs up mid-message leave the service up.
    let mut g = TcpStream::connect(addr).await.unwrap();
    g.write_all(&[1, 0, 0, 64, 0x80, 0, 1, 1]).await.unwrap();
    drop(g);
    let mut s = connected(addr).await;
    let a = send(&mut s, &ecr(50, CLONE, None, None).encode())
        .await
        .unwrap();
    assert_eq!(status(&a), Some(EQUIPMENT_GREYLISTED));
    srv.running.shutdown().await;
}

/// `python3 -m venv` with `python-diameter` (the pinned version), once.
fn python_diameter() -> std::path::PathBuf {
    let home = std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .unwrap();
    let venv = home.join(".cache/spectra/venv-diameter");
    let py = venv.join("bin/python");
    let req = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/s13/requirements.txt");
    let ok = Command::new(&py)
        .args(["-c", "import diameter"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let st = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap();
        assert!(st.success(), "python3 -m venv failed");
        let st = Command::new(venv.join("bin/pip"))
            .args(["install", "-q", "--disable-pip-version-check", "-r"])
            .arg(&req)
            .status()
            .unwrap();
        assert!(st.success(), "pip install -r {} failed", req.display());
    }
    py
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_independent_diameter_implementation_agrees() {
    let srv = serve(DIAMETER).await;
    let addr = srv.running.diameter_addr.unwrap();
    let py = python_diameter();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/s13/python_diameter_client.py");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg(script)
            .args([
                addr.ip().to_string(),
                addr.port().to_string(),
                BLACK.into(),
                WHITE.into(),
                CLONE.into(),
                UNKNOWN.into(),
                PAIRED_IMSI.into(),
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["cea"]["result_code"], 2001, "{v}");
    assert_eq!(v["cea"]["origin_host"], "eir.test");
    assert_eq!(v["black"]["equipment_status"], 1, "{v}");
    assert_eq!(v["white"]["equipment_status"], 0, "{v}");
    assert_eq!(v["grey"]["equipment_status"], 2, "{v}");
    assert_eq!(v["paired"]["equipment_status"], 0, "{v}");
    assert_eq!(v["unknown"]["experimental_result_code"], 5422, "{v}");
    assert_eq!(v["malformed_imei"]["result_code"], 5004, "{v}");
    assert_eq!(
        (v["dwa"].clone(), v["dpa"].clone()),
        (2001.into(), 2001.into())
    );
    assert_eq!(v["closed_after_dpa"], true);
    // The Diameter answers were counted with the HTTP ones.
    let text = srv.running.app().metrics.encode();
    assert!(
        text.contains("spectra_eir_equipment_status_total{status=\"BLACKLISTED\"}"),
        "{text}"
    );
    srv.running.shutdown().await;
}
