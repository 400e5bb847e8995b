//! The S13 Diameter peer over TCP (IETF RFC 6733, 3GPP TS 29.272 V18):
//! capabilities exchange (CER/CEA, only peers on the allowed list when one
//! is configured), watchdog (DWR/DWA), disconnect (DPR/DPA) and
//! ME-Identity-Check (ECR/ECA): the IMEI from Terminal-Information
//! (IMEI, Software-Version), the IMSI from User-Name, answered with
//! Equipment-Status and Result-Code 2001 — or Experimental-Result 5422
//! when the equipment is unknown and the service is so configured.
//!
//! Every message is decoded strictly ([`super::codec`]); a malformed one
//! gets the error answer RFC 6733 prescribes (3008, 5014, 5015, 5005,
//! 5004, 3001, 3007, 3010 with Failed-AVP and Error-Message where they
//! apply) and a header that cannot be trusted closes the connection. A
//! silent peer is dropped after the idle timeout.

use std::net::IpAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::codec::{self, Avp, HEADER_LEN, Header, Message};
use super::dictionary::*;
use crate::config::Diameter;
use crate::equipment::{EquipmentStatus, Outcome};
use crate::http::App;
use crate::metrics::StatusLabels;

/// Our identity AVPs and the common answer parts.
struct Us<'a> {
    d: &'a Diameter,
    ip: IpAddr,
}

impl Us<'_> {
    fn origin(&self) -> [Avp; 2] {
        [
            Avp::text(AVP_ORIGIN_HOST, None, &self.d.origin_host),
            Avp::text(AVP_ORIGIN_REALM, None, &self.d.origin_realm),
        ]
    }

    /// An answer with a Result-Code, our origin and the extra AVPs.
    fn answer(&self, req: &Header, result: u32, extra: Vec<Avp>) -> Message {
        let mut avps = vec![Avp::u32(AVP_RESULT_CODE, None, result)];
        avps.extend(self.origin());
        avps.extend(extra);
        Message::answer(req, is_protocol_error(result), avps)
    }

    fn error(&self, req: &Header, result: u32, detail: &str, failed: Option<Avp>) -> Message {
        let mut extra = vec![Avp::text(AVP_ERROR_MESSAGE, None, detail)];
        if let Some(f) = failed {
            extra.push(Avp::grouped(AVP_FAILED_AVP, None, &[f]));
        }
        self.answer(req, result, extra)
    }

    fn cea(&self, req: &Header, result: u32) -> Message {
        self.answer(
            req,
            result,
            vec![
                Avp::address(AVP_HOST_IP_ADDRESS, self.ip),
                Avp::u32(AVP_VENDOR_ID, None, 0),
                Avp::text(AVP_PRODUCT_NAME, None, "spectra-eir"),
                Avp::u32(AVP_SUPPORTED_VENDOR_ID, None, VENDOR_3GPP),
                Avp::grouped(
                    AVP_VENDOR_SPECIFIC_APPLICATION_ID,
                    None,
                    &[
                        Avp::u32(AVP_VENDOR_ID, None, VENDOR_3GPP),
                        Avp::u32(AVP_AUTH_APPLICATION_ID, None, APP_S13),
                    ],
                ),
            ],
        )
    }
}

/// Whether a CER offers S13 (or relay), directly or vendor-specific.
fn offers_s13(m: &Message) -> bool {
    let direct = |a: &Avp| {
        a.code == AVP_AUTH_APPLICATION_ID
            && a.as_u32().is_some_and(|v| v == APP_S13 || v == APP_RELAY)
    };
    m.avps.iter().any(|a| {
        direct(a)
            || (a.code == AVP_VENDOR_SPECIFIC_APPLICATION_ID
                && a.as_grouped().is_ok_and(|g| g.iter().any(direct)))
    })
}

/// What a request leads to.
enum Next {
    Reply(Message),
    ReplyAndClose(Message),
}

/// Handles one decoded request on a connection in state `open`.
fn handle(app: &App, us: &Us<'_>, m: &Message, open: &mut bool) -> Next {
    let h = &m.header;
    match h.code {
        CMD_CAPABILITIES_EXCHANGE => {
            let host = m.avp(AVP_ORIGIN_HOST, None).and_then(Avp::as_text);
            let Some(host) = host.filter(|_| m.avp(AVP_ORIGIN_REALM, None).is_some()) else {
                return Next::ReplyAndClose(us.error(
                    h,
                    DIAMETER_MISSING_AVP,
                    "expected Origin-Host and Origin-Realm",
                    Some(Avp::text(AVP_ORIGIN_HOST, None, "")),
                ));
            };
            if !us.d.allowed_peers.is_empty() && !us.d.allowed_peers.contains(host) {
                tracing::warn!(target: "spectra_eir::access", peer = host, "S13 peer not allowed");
                return Next::ReplyAndClose(us.error(
                    h,
                    DIAMETER_UNKNOWN_PEER,
                    "this Origin-Host is not an allowed peer",
                    None,
                ));
            }
            if !offers_s13(m) {
                return Next::ReplyAndClose(us.cea(h, DIAMETER_NO_COMMON_APPLICATION));
            }
            *open = true;
            Next::Reply(us.cea(h, DIAMETER_SUCCESS))
        }
        _ if !*open => Next::ReplyAndClose(us.error(
            h,
            DIAMETER_UNKNOWN_PEER,
            "expected a capabilities exchange (CER) first",
            None,
        )),
        CMD_DEVICE_WATCHDOG => Next::Reply(us.answer(h, DIAMETER_SUCCESS, vec![])),
        CMD_DISCONNECT_PEER => Next::ReplyAndClose(us.answer(h, DIAMETER_SUCCESS, vec![])),
        CMD_ME_IDENTITY_CHECK if h.application != APP_S13 => Next::Reply(us.error(
            h,
            DIAMETER_APPLICATION_UNSUPPORTED,
            "ME-Identity-Check is answered for S13 (16777252) only",
            None,
        )),
        CMD_ME_IDENTITY_CHECK => Next::Reply(identity_check(app, us, m)),
        _ => Next::Reply(us.error(
            h,
            DIAMETER_COMMAND_UNSUPPORTED,
            "only CER, DWR, DPR and ECR are answered",
            None,
        )),
    }
}

/// ECR → ECA.
fn identity_check(app: &App, us: &Us<'_>, m: &Message) -> Message {
    let h = &m.header;
    let Some(session) = m.avp(AVP_SESSION_ID, None).cloned() else {
        return us.error(
            h,
            DIAMETER_MISSING_AVP,
            "expected a Session-Id",
            Some(Avp::text(AVP_SESSION_ID, None, "")),
        );
    };
    let common = |result: Vec<Avp>, extra: Vec<Avp>| {
        let mut avps = vec![session.clone()];
        avps.extend(result);
        avps.push(Avp::u32(AVP_AUTH_SESSION_STATE, None, NO_STATE_MAINTAINED));
        avps.extend(us.origin());
        avps.extend(extra);
        Message::answer(h, false, avps)
    };
    let failed = |code: u32, detail: &str, avp: Avp| {
        common(
            vec![Avp::u32(AVP_RESULT_CODE, None, code)],
            vec![
                Avp::text(AVP_ERROR_MESSAGE, None, detail),
                Avp::grouped(AVP_FAILED_AVP, None, &[avp]),
            ],
        )
    };
    let Some(ti) = m.avp(AVP_TERMINAL_INFORMATION, Some(VENDOR_3GPP)) else {
        return failed(
            DIAMETER_MISSING_AVP,
            "expected Terminal-Information",
            Avp::grouped(AVP_TERMINAL_INFORMATION, Some(VENDOR_3GPP), &[]),
        );
    };
    let inner = match ti.as_grouped() {
        Ok(g) => g,
        Err(e) => return failed(e.result_code, &e.detail, ti.clone()),
    };
    let find = |code| {
        inner
            .iter()
            .find(|a| a.code == code && a.vendor == Some(VENDOR_3GPP))
    };
    let Some(imei_avp) = find(AVP_IMEI) else {
        return failed(
            DIAMETER_MISSING_AVP,
            "expected an IMEI in Terminal-Information",
            Avp::text(AVP_IMEI, Some(VENDOR_3GPP), ""),
        );
    };
    let imei = imei_avp.as_text().unwrap_or_default();
    let sv = find(AVP_SOFTWARE_VERSION).and_then(Avp::as_text);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(imei, 14..=15) || sv.is_some_and(|v| !digits(v, 2..=2)) {
        return failed(
            DIAMETER_INVALID_AVP_VALUE,
            "expected an IMEI of 14 or 15 digits and a Software-Version of 2",
            imei_avp.clone(),
        );
    }
    let pei = match sv {
        Some(v) => format!("{}{v}", &imei[..14]),
        None => imei.to_string(),
    };
    let imsi = m
        .avp(AVP_USER_NAME, None)
        .and_then(Avp::as_text)
        .filter(|s| digits(s, 5..=15));
    let (outcome, pseudonym) = app.check_equipment(&pei, imsi);
    app.metrics
        .statuses
        .get_or_create(&StatusLabels {
            status: outcome.name(),
        })
        .inc();
    tracing::info!(target: "spectra_eir::access", peer = "s13", endpoint = "ECR",
        status = outcome.name(), supi = pseudonym.as_deref().unwrap_or("-"));
    let status = match outcome {
        Outcome::Status(s) => s,
        Outcome::Unknown => {
            return common(
                vec![Avp::grouped(
                    AVP_EXPERIMENTAL_RESULT,
                    None,
                    &[
                        Avp::u32(AVP_VENDOR_ID, None, VENDOR_3GPP),
                        Avp::u32(
                            AVP_EXPERIMENTAL_RESULT_CODE,
                            None,
                            DIAMETER_ERROR_EQUIPMENT_UNKNOWN,
                        ),
                    ],
                )],
                vec![],
            );
        }
    };
    let code = match status {
        EquipmentStatus::Whitelisted => EQUIPMENT_WHITELISTED,
        EquipmentStatus::Blacklisted => EQUIPMENT_BLACKLISTED,
        EquipmentStatus::Greylisted => EQUIPMENT_GREYLISTED,
    };
    common(
        vec![Avp::u32(AVP_RESULT_CODE, None, DIAMETER_SUCCESS)],
        vec![Avp::u32(AVP_EQUIPMENT_STATUS, Some(VENDOR_3GPP), code)],
    )
}

/// Serves one TCP connection until the peer disconnects, sends DPR, goes
/// silent past the idle timeout, sends a header that cannot be trusted, or
/// the service stops (`stop`; checked between messages).
pub async fn serve_connection(
    app: Arc<App>,
    mut stream: TcpStream,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let Some(d) = app.config.diameter.clone() else {
        return;
    };
    let ip = stream
        .local_addr()
        .map_or(IpAddr::from([127, 0, 0, 1]), |a| a.ip());
    let us = Us { d: &d, ip };
    let mut open = false;
    let mut head = [0u8; HEADER_LEN];
    loop {
        // Between messages a shutdown closes the connection at once.
        let read = tokio::select! {
            r = tokio::time::timeout(d.idle_timeout, stream.read_exact(&mut head)) => r,
            _ = stop.changed() => return,
        };
        let Ok(Ok(_)) = read else {
            return;
        };
        let header = match codec::decode_header(&head, d.max_message_bytes) {
            Ok(h) => h,
            Err(e) => {
                // The length cannot be trusted: answer what can be, then close.
                tracing::warn!(error = %e.detail, "S13: malformed header; closing");
                let partial = Header {
                    length: 0,
                    flags: head[4] & 0xC0,
                    code: u32::from_be_bytes([0, head[5], head[6], head[7]]),
                    application: u32::from_be_bytes([head[8], head[9], head[10], head[11]]),
                    hop_by_hop: u32::from_be_bytes([head[12], head[13], head[14], head[15]]),
                    end_to_end: u32::from_be_bytes([head[16], head[17], head[18], head[19]]),
                };
                let answer = us.error(&partial, e.result_code, &e.detail, None);
                let _ = stream.write_all(&answer.encode()).await;
                return;
            }
        };
        let mut body = vec![0u8; header.length - HEADER_LEN];
        let read = tokio::time::timeout(d.idle_timeout, stream.read_exact(&mut body)).await;
        let Ok(Ok(_)) = read else {
            return;
        };
        if !header.is_request() {
            // Answers to requests we never send: ignored.
            continue;
        }
        let next = match codec::decode_avps(&body) {
            // The offending AVP cannot be echoed in a valid Failed-AVP
            // when its own length is wrong: Error-Message says what it was.
            Err(e) => Next::Reply(us.error(&header, e.result_code, &e.detail, None)),
            Ok(avps) => handle(&app, &us, &Message { header, avps }, &mut open),
        };
        let (answer, close) = match next {
            Next::Reply(m) => (m, false),
            Next::ReplyAndClose(m) => (m, true),
        };
        if stream.write_all(&answer.encode()).await.is_err() || close {
            return;
        }
    }
}
