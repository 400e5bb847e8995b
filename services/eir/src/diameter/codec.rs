//! Diameter message framing (IETF RFC 6733 §3 and §4): the 20-byte header,
//! AVPs with their flags, optional Vendor-ID and padding to 32 bits, and
//! grouped AVPs. Decoding is strict — every length is checked against the
//! bytes present — and says which rule a message broke, so the peer can
//! answer with the right Result-Code instead of failing.

use super::dictionary::{
    DIAMETER_INVALID_AVP_BITS, DIAMETER_INVALID_AVP_LENGTH, DIAMETER_INVALID_HDR_BITS,
    DIAMETER_INVALID_MESSAGE_LENGTH,
};

/// Header length, bytes.
pub const HEADER_LEN: usize = 20;
/// Command flag R: a request.
pub const FLAG_REQUEST: u8 = 0x80;
/// Command flag P: proxiable.
pub const FLAG_PROXIABLE: u8 = 0x40;
/// Command flag E: an error answer.
pub const FLAG_ERROR: u8 = 0x20;
/// Command flag T: possibly retransmitted.
pub const FLAG_RETRANSMIT: u8 = 0x10;
/// AVP flag V: a Vendor-ID follows.
pub const AVP_VENDOR: u8 = 0x80;
/// AVP flag M: mandatory.
pub const AVP_MANDATORY: u8 = 0x40;

/// A message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Message length including the header, bytes.
    pub length: usize,
    /// Command flags.
    pub flags: u8,
    /// Command code.
    pub code: u32,
    /// Application-ID.
    pub application: u32,
    /// Hop-by-Hop Identifier.
    pub hop_by_hop: u32,
    /// End-to-End Identifier.
    pub end_to_end: u32,
}

impl Header {
    /// Whether this is a request.
    pub fn is_request(&self) -> bool {
        self.flags & FLAG_REQUEST != 0
    }
}

/// One AVP (its data without padding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Avp {
    /// AVP code.
    pub code: u32,
    /// Flags (V, M, P).
    pub flags: u8,
    /// Vendor-ID, when the V flag is set.
    pub vendor: Option<u32>,
    /// The data.
    pub data: Vec<u8>,
}

/// A decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its header.
    pub header: Header,
    /// Its top-level AVPs, in order.
    pub avps: Vec<Avp>,
}

/// Why bytes are not a valid message: the Result-Code to answer with and
/// what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The Result-Code (RFC 6733 §7.1).
    pub result_code: u32,
    /// What was expected and what was found.
    pub detail: String,
    /// The AVP at fault, as received (for Failed-AVP), when there is one.
    pub avp: Option<Vec<u8>>,
}

fn malformed(result_code: u32, detail: String) -> Malformed {
    Malformed {
        result_code,
        detail,
        avp: None,
    }
}

fn be24(b: &[u8]) -> usize {
    (usize::from(b[0]) << 16) | (usize::from(b[1]) << 8) | usize::from(b[2])
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Decodes a header; `max_len` is the largest message accepted.
pub fn decode_header(b: &[u8; HEADER_LEN], max_len: usize) -> Result<Header, Malformed> {
    if b[0] != 1 {
        return Err(malformed(
            DIAMETER_INVALID_HDR_BITS,
            format!("expected version 1, found {}", b[0]),
        ));
    }
    let length = be24(&b[1..4]);
    if length < HEADER_LEN || !length.is_multiple_of(4) || length > max_len {
        return Err(malformed(
            DIAMETER_INVALID_MESSAGE_LENGTH,
            format!("expected a length of 20 to {max_len} bytes, a multiple of 4, found {length}"),
        ));
    }
    let flags = b[4];
    if flags & 0x0F != 0 || (flags & FLAG_REQUEST != 0 && flags & FLAG_ERROR != 0) {
        return Err(malformed(
            DIAMETER_INVALID_HDR_BITS,
            format!("command flags {flags:#04x}: reserved bits set, or E on a request"),
        ));
    }
    Ok(Header {
        length,
        flags,
        code: be24(&b[5..8]) as u32,
        application: be32(&b[8..12]),
        hop_by_hop: be32(&b[12..16]),
        end_to_end: be32(&b[16..20]),
    })
}

/// Decodes a sequence of AVPs filling `data` exactly.
pub fn decode_avps(data: &[u8]) -> Result<Vec<Avp>, Malformed> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let rest = &data[at..];
        if rest.len() < 8 {
            return Err(malformed(
                DIAMETER_INVALID_AVP_LENGTH,
                format!("expected an AVP header of 8 bytes, found {}", rest.len()),
            ));
        }
        let code = be32(&rest[0..4]);
        let flags = rest[4];
        let len = be24(&rest[5..8]);
        let head = if flags & AVP_VENDOR != 0 { 12 } else { 8 };
        let padded = len.div_ceil(4) * 4;
        if len < head || len > rest.len() {
            let mut m = malformed(
                DIAMETER_INVALID_AVP_LENGTH,
                format!(
                    "AVP {code}: expected a length of {head} to {} bytes, found {len}",
                    rest.len()
                ),
            );
            m.avp = Some(rest[..rest.len().min(64)].to_vec());
            return Err(m);
        }
        if flags & 0x1F != 0 {
            let mut m = malformed(
                DIAMETER_INVALID_AVP_BITS,
                format!("AVP {code}: reserved flag bits set ({flags:#04x})"),
            );
            m.avp = Some(rest[..len].to_vec());
            return Err(m);
        }
        let vendor = (head == 12).then(|| be32(&rest[8..12]));
        out.push(Avp {
            code,
            flags,
            vendor,
            data: rest[head..len].to_vec(),
        });
        at += padded.min(rest.len());
    }
    Ok(out)
}

/// Decodes a whole message (header and body).
pub fn decode(bytes: &[u8], max_len: usize) -> Result<Message, Malformed> {
    let head: &[u8; HEADER_LEN] = bytes
        .get(..HEADER_LEN)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            malformed(
                DIAMETER_INVALID_MESSAGE_LENGTH,
                format!("expected a 20-byte header, found {} bytes", bytes.len()),
            )
        })?;
    let header = decode_header(head, max_len)?;
    if header.length != bytes.len() {
        return Err(malformed(
            DIAMETER_INVALID_MESSAGE_LENGTH,
            format!(
                "the header says {} bytes, found {}",
                header.length,
                bytes.len()
            ),
        ));
    }
    Ok(Message {
        header,
        avps: decode_avps(&bytes[HEADER_LEN..])?,
    })
}

impl Avp {
    /// An AVP of raw `data` (`vendor`: sets the V flag; M is set).
    pub fn new(code: u32, vendor: Option<u32>, data: Vec<u8>) -> Self {
        Self {
            code,
            flags: AVP_MANDATORY | if vendor.is_some() { AVP_VENDOR } else { 0 },
            vendor,
            data,
        }
    }

    /// An Unsigned32 / Enumerated AVP.
    pub fn u32(code: u32, vendor: Option<u32>, v: u32) -> Self {
        Self::new(code, vendor, v.to_be_bytes().to_vec())
    }

    /// A UTF8String / DiameterIdentity / OctetString AVP.
    pub fn text(code: u32, vendor: Option<u32>, v: &str) -> Self {
        Self::new(code, vendor, v.as_bytes().to_vec())
    }

    /// A Grouped AVP of `avps`.
    pub fn grouped(code: u32, vendor: Option<u32>, avps: &[Avp]) -> Self {
        let mut data = Vec::new();
        for a in avps {
            a.encode_into(&mut data);
        }
        Self::new(code, vendor, data)
    }

    /// An Address AVP (RFC 6733 §4.3.1: address family, then the address).
    pub fn address(code: u32, ip: std::net::IpAddr) -> Self {
        let mut data = Vec::with_capacity(18);
        match ip {
            std::net::IpAddr::V4(a) => {
                data.extend_from_slice(&1u16.to_be_bytes());
                data.extend_from_slice(&a.octets());
            }
            std::net::IpAddr::V6(a) => {
                data.extend_from_slice(&2u16.to_be_bytes());
                data.extend_from_slice(&a.octets());
            }
        }
        Self::new(code, None, data)
    }

    /// The value of an Unsigned32 / Enumerated AVP.
    pub fn as_u32(&self) -> Option<u32> {
        <[u8; 4]>::try_from(self.data.as_slice())
            .ok()
            .map(u32::from_be_bytes)
    }

    /// The value of a UTF8String AVP.
    pub fn as_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.data).ok()
    }

    /// The AVPs of a Grouped AVP.
    pub fn as_grouped(&self) -> Result<Vec<Avp>, Malformed> {
        decode_avps(&self.data)
    }

    /// Appends the encoded AVP (with padding).
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        let head = if self.vendor.is_some() { 12 } else { 8 };
        let len = head + self.data.len();
        out.extend_from_slice(&self.code.to_be_bytes());
        out.push(self.flags);
        out.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
        if let Some(v) = self.vendor {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&self.data);
        out.resize(out.len() + (len.div_ceil(4) * 4 - len), 0);
    }
}

impl Message {
    /// The first top-level AVP of `code` (and `vendor`).
    pub fn avp(&self, code: u32, vendor: Option<u32>) -> Option<&Avp> {
        self.avps
            .iter()
            .find(|a| a.code == code && a.vendor == vendor)
    }

    /// The encoded message.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(&[0u8; HEADER_LEN]);
        for a in &self.avps {
            a.encode_into(&mut out);
        }
        let len = out.len() as u32;
        let h = &self.header;
        out[0] = 1;
        out[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
        out[4] = h.flags;
        out[5..8].copy_from_slice(&h.code.to_be_bytes()[1..]);
        out[8..12].copy_from_slice(&h.application.to_be_bytes());
        out[12..16].copy_from_slice(&h.hop_by_hop.to_be_bytes());
        out[16..20].copy_from_slice(&h.end_to_end.to_be_bytes());
        out
    }

    /// An answer to `request` with `avps` (same command, application and
    /// identifiers; R cleared, P kept; E when `error`).
    pub fn answer(request: &Header, error: bool, avps: Vec<Avp>) -> Self {
        Self {
            header: Header {
                length: 0,
                flags: (request.flags & FLAG_PROXIABLE) | if error { FLAG_ERROR } else { 0 },
                code: request.code,
                application: request.application,
                hop_by_hop: request.hop_by_hop,
                end_to_end: request.end_to_end,
            },
            avps,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn round_trip_with_vendor_padding_and_groups() {
        let m = Message {
            header: Header {
                length: 0,
                flags: FLAG_REQUEST | FLAG_PROXIABLE,
                code: 324,
                application: 16_777_252,
                hop_by_hop: 7,
                end_to_end: 9,
            },
            avps: vec![
                Avp::text(263, None, "mme;1;2"),
                Avp::grouped(
                    1401,
                    Some(10415),
                    &[Avp::text(1402, Some(10415), "35693803564380")],
                ),
                Avp::u32(277, None, 1),
            ],
        };
        let bytes = m.encode();
        assert_eq!(bytes.len() % 4, 0);
        let back = decode(&bytes, 65536).unwrap();
        assert_eq!(back.header.length, bytes.len());
        assert_eq!(back.avps, m.avps);
        let ti = back.avp(1401, Some(10415)).unwrap().as_grouped().unwrap();
        assert_eq!(ti[0].as_text(), Some("35693803564380"));
        assert_eq!(back.avp(277, None).unwrap().as_u32(), Some(1));
    }

    #[test]
    fn every_length_is_checked() {
        let m = Message {
            header: Header {
                length: 0,
                flags: FLAG_REQUEST,
                code: 280,
                application: 0,
                hop_by_hop: 1,
                end_to_end: 1,
            },
            avps: vec![Avp::text(264, None, "mme.test")],
        };
        let good = m.encode();
        // Version, length, reserved bits.
        let mut b = good.clone();
        b[0] = 2;
        assert_eq!(
            decode(&b, 65536).unwrap_err().result_code,
            DIAMETER_INVALID_HDR_BITS
        );
        assert_eq!(
            decode(&good[..good.len() - 4], 65536)
                .unwrap_err()
                .result_code,
            DIAMETER_INVALID_MESSAGE_LENGTH
        );
        assert_eq!(
            decode(&good, 24).unwrap_err().result_code,
            DIAMETER_INVALID_MESSAGE_LENGTH
        );
        let mut b = good.clone();
        b[4] |= 0x01;
        assert_eq!(
            decode(&b, 65536).unwrap_err().result_code,
            DIAMETER_INVALID_HDR_BITS
        );
        // An AVP claiming more bytes than there are, or fewer than its header.
        for bad_len in [200u8, 4] {
            let mut b = good.clone();
            b[HEADER_LEN + 7] = bad_len;
            let e = decode(&b, 65536).unwrap_err();
            assert_eq!(e.result_code, DIAMETER_INVALID_AVP_LENGTH, "{bad_len}");
            assert!(e.avp.is_some());
        }
        // Random bytes never panic.
        let mut x = 12345u64;
        for _ in 0..2000 {
            let mut b = good.clone();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let i = (x as usize) % b.len();
            b[i] = (x >> 32) as u8;
            let _ = decode(&b, 65536);
        }
    }
}
