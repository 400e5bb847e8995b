//! `serve.toml`: read, then validated into a typed [`Config`] before
//! anything listens — unknown keys, bad addresses, token hashes that are not
//! 64 hex digits, unknown scopes, zero limits and a missing snapshot are
//! refused at start-up with the file and what was expected.
//!
//! ```toml
//! snapshot = "registry.snapshot"       # written by `spectra registry publish`
//! reload_interval_ms = 1000            # how often the file is checked for a new snapshot
//! network_key_file = "network.key"     # pairing list lookups and SUPI pseudonyms in the access log
//! unknown_equipment = "verdict"        # or whitelisted | greylisted | blacklisted | not-found
//!
//! [http]
//! listen = "127.0.0.1:8080"
//! max_connections = 10000
//! max_body_bytes = 262144
//! max_uri_bytes = 2048
//! max_batch = 1000
//! request_timeout_ms = 5000
//! header_timeout_ms = 5000
//!
//! [http.tls]                           # optional: HTTPS (rustls; h2 and http/1.1 by ALPN)
//! certificate = "eir.crt.pem"
//! private_key = "eir.key.pem"
//! client_ca = "operators-ca.pem"       # optional: mutual TLS, required of every client
//!
//! [diameter]                           # optional: the S13 peer for MMEs
//! listen = "127.0.0.1:3868"
//! origin_host = "eir.example.kg"
//! origin_realm = "example.kg"
//! allowed_peers = ["mme1.example.kg"]  # empty: any peer
//!
//! [[client]]
//! name = "amf-bishkek-1"
//! token_sha256 = "…64 hex digits…"     # SHA-256 of the bearer token; the token itself is never stored
//! scopes = ["eir"]                     # eir, operator-api, metrics
//! requests_per_second = 50000
//! burst = 5000
//! ```

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::EirError;

/// What a client may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// `/n5g-eir-eic/…` (network functions).
    Eir,
    /// `/v1/…` (operators' systems).
    OperatorApi,
    /// `/metrics`.
    Metrics,
}

impl Scope {
    /// The name in the configuration.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Eir => "eir",
            Scope::OperatorApi => "operator-api",
            Scope::Metrics => "metrics",
        }
    }

    fn parse(s: &str) -> Option<Scope> {
        [Scope::Eir, Scope::OperatorApi, Scope::Metrics]
            .into_iter()
            .find(|c| c.name() == s)
    }
}

/// The answer for equipment the registry does not know (not registered,
/// no finding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownEquipment {
    /// The verdict rules' answer, as the bulk check gives it.
    Verdict,
    /// Always `WHITELISTED`.
    Whitelisted,
    /// Always `GREYLISTED`.
    Greylisted,
    /// Always `BLACKLISTED`.
    Blacklisted,
    /// 404 with cause `ERROR_EQUIPMENT_UNKNOWN` (S13: Experimental-Result
    /// 5422 DIAMETER_ERROR_EQUIPMENT_UNKNOWN).
    NotFound,
}

/// One client allowed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Its name (in logs and metrics).
    pub name: String,
    /// SHA-256 of its bearer token.
    pub token_sha256: [u8; 32],
    /// Its scopes.
    pub scopes: BTreeSet<Scope>,
    /// Sustained requests per second.
    pub requests_per_second: u32,
    /// Requests allowed at once above the rate.
    pub burst: u32,
}

/// The HTTP listener's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http {
    /// Address to listen on (port 0: any free port).
    pub listen: SocketAddr,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// Largest request body, bytes (413 above).
    pub max_body_bytes: usize,
    /// Longest request target (path and query), bytes (414 above).
    pub max_uri_bytes: usize,
    /// Most IMEIs in one `POST /v1/imei/check`.
    pub max_batch: usize,
    /// A request taking longer is answered 503.
    pub request_timeout: Duration,
    /// A client must send a request's headers within this time.
    pub header_timeout: Duration,
    /// TLS, when configured (otherwise cleartext HTTP/1.1 and h2c).
    pub tls: Option<Tls>,
}

/// TLS settings of the HTTP listener (rustls; HTTP/2 and HTTP/1.1 by ALPN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    /// The certificate chain (PEM), leaf first.
    pub certificate: PathBuf,
    /// Its private key (PEM: PKCS #8, PKCS #1 or SEC1).
    pub private_key: PathBuf,
    /// CA certificates (PEM) client certificates must chain to: mutual TLS,
    /// required of every connection, on top of the bearer tokens.
    pub client_ca: Option<PathBuf>,
}

/// The S13 Diameter peer's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diameter {
    /// Address to listen on (TCP).
    pub listen: SocketAddr,
    /// Our Origin-Host (a DiameterIdentity).
    pub origin_host: String,
    /// Our Origin-Realm.
    pub origin_realm: String,
    /// The Origin-Hosts allowed to connect (empty: any; a capabilities
    /// exchange from another is answered DIAMETER_UNKNOWN_PEER and closed).
    pub allowed_peers: BTreeSet<String>,
    /// Largest message accepted, bytes.
    pub max_message_bytes: usize,
    /// A connection silent this long is closed (peers send watchdogs).
    pub idle_timeout: Duration,
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The snapshot file.
    pub snapshot: PathBuf,
    /// How often the snapshot file is checked for a new version.
    pub reload_interval: Duration,
    /// The network-monitoring key file (pairing list, access-log
    /// pseudonyms).
    pub network_key_file: Option<PathBuf>,
    /// The answer for equipment the registry does not know (HTTP and S13).
    pub unknown_equipment: UnknownEquipment,
    /// HTTP settings.
    pub http: Http,
    /// The S13 Diameter peer, when configured.
    pub diameter: Option<Diameter>,
    /// The clients.
    pub clients: Vec<Client>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    listen: String,
    #[serde(default = "default_max_connections")]
    max_connections: usize,
    #[serde(default = "default_max_body")]
    max_body_bytes: usize,
    #[serde(default = "default_max_uri")]
    max_uri_bytes: usize,
    #[serde(default = "default_max_batch")]
    max_batch: usize,
    #[serde(default = "default_timeout_ms")]
    request_timeout_ms: u64,
    #[serde(default = "default_timeout_ms")]
    header_timeout_ms: u64,
    #[serde(default)]
    tls: Option<RawTls>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTls {
    certificate: PathBuf,
    private_key: PathBuf,
    #[serde(default)]
    client_ca: Option<PathBuf>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiameter {
    listen: String,
    origin_host: String,
    origin_realm: String,
    #[serde(default)]
    allowed_peers: Vec<String>,
    #[serde(default = "default_max_message")]
    max_message_bytes: usize,
    #[serde(default = "default_idle_ms")]
    idle_timeout_ms: u64,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    name: String,
    token_sha256: String,
    scopes: Vec<String>,
    requests_per_second: u32,
    #[serde(default)]
    burst: Option<u32>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    snapshot: PathBuf,
    #[serde(default = "default_reload_ms")]
    reload_interval_ms: u64,
    #[serde(default)]
    network_key_file: Option<PathBuf>,
    #[serde(default = "default_unknown")]
    unknown_equipment: String,
    http: RawHttp,
    #[serde(default)]
    diameter: Option<RawDiameter>,
    #[serde(default)]
    client: Vec<RawClient>,
}

fn default_max_connections() -> usize {
    10_000
}
fn default_max_body() -> usize {
    256 * 1024
}
fn default_max_uri() -> usize {
    2048
}
fn default_max_batch() -> usize {
    1000
}
fn default_timeout_ms() -> u64 {
    5000
}
fn default_max_message() -> usize {
    65_536
}
fn default_idle_ms() -> u64 {
    90_000
}
fn default_reload_ms() -> u64 {
    1000
}
fn default_unknown() -> String {
    "verdict".into()
}

/// SHA-256 of a bearer token, as `token_sha256` holds it (hex).
///
/// ```
/// assert_eq!(spectra_eir::config::token_sha256_hex("secret").len(), 64);
/// ```
pub fn token_sha256_hex(token: &str) -> String {
    use sha2::{Digest, Sha256};
    imei_core::pseudonym::hex(&Sha256::digest(token.as_bytes()))
}

impl Config {
    /// Reads and validates `path`; relative paths in it are relative to its
    /// directory.
    pub fn load(path: &Path) -> Result<Config, EirError> {
        let text = std::fs::read_to_string(path).map_err(|source| EirError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, &path.display().to_string(), base)
    }

    /// Validates the text of a configuration file named `file`, resolving
    /// relative paths against `base`.
    pub fn parse(text: &str, file: &str, base: &Path) -> Result<Config, EirError> {
        let bad = |message: String| EirError::Config {
            file: file.to_string(),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let listen: SocketAddr = raw.http.listen.parse().map_err(|_| {
            bad(format!(
                "http.listen: expected an address such as 127.0.0.1:8080, found {:?}",
                raw.http.listen
            ))
        })?;
        for (name, v) in [
            ("http.max_connections", raw.http.max_connections),
            ("http.max_body_bytes", raw.http.max_body_bytes),
            ("http.max_uri_bytes", raw.http.max_uri_bytes),
            ("http.max_batch", raw.http.max_batch),
            ("reload_interval_ms", raw.reload_interval_ms as usize),
            (
                "http.request_timeout_ms",
                raw.http.request_timeout_ms as usize,
            ),
            (
                "http.header_timeout_ms",
                raw.http.header_timeout_ms as usize,
            ),
        ] {
            if v == 0 {
                return Err(bad(format!("{name}: expected a positive number, found 0")));
            }
        }
        let unknown_equipment = match raw.unknown_equipment.as_str() {
            "verdict" => UnknownEquipment::Verdict,
            "whitelisted" => UnknownEquipment::Whitelisted,
            "greylisted" => UnknownEquipment::Greylisted,
            "blacklisted" => UnknownEquipment::Blacklisted,
            "not-found" => UnknownEquipment::NotFound,
            other => {
                return Err(bad(format!(
                    "unknown_equipment: expected verdict, whitelisted, greylisted, blacklisted or \
                     not-found, found {other:?}"
                )));
            }
        };
        let mut clients = Vec::with_capacity(raw.client.len());
        for (i, c) in raw.client.into_iter().enumerate() {
            let at = format!("client {} ({:?})", i + 1, c.name);
            let hash = imei_core::pseudonym::unhex(&c.token_sha256)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "{at}: token_sha256: expected 64 hex digits (the SHA-256 of the token, from \
                         `spectra serve --hash-token`), found {} characters",
                        c.token_sha256.len()
                    ))
                })?;
            let mut scopes = BTreeSet::new();
            for s in &c.scopes {
                scopes.insert(Scope::parse(s).ok_or_else(|| {
                    bad(format!(
                        "{at}: scopes: expected eir, operator-api or metrics, found {s:?}"
                    ))
                })?);
            }
            if c.name.trim().is_empty() {
                return Err(bad(format!("{at}: name: expected a name, found none")));
            }
            if c.requests_per_second == 0 {
                return Err(bad(format!(
                    "{at}: requests_per_second: expected a positive number, found 0"
                )));
            }
            if clients.iter().any(|k: &Client| k.token_sha256 == hash) {
                return Err(bad(format!(
                    "{at}: token_sha256: the same token as another client"
                )));
            }
            if clients.iter().any(|k: &Client| k.name == c.name) {
                return Err(bad(format!("{at}: name: another client has it")));
            }
            clients.push(Client {
                name: c.name,
                token_sha256: hash,
                scopes,
                requests_per_second: c.requests_per_second,
                burst: c.burst.unwrap_or(c.requests_per_second).max(1),
            });
        }
        if clients.is_empty() {
            return Err(bad(
                "client: expected at least one [[client]] (every request authenticates)".into(),
            ));
        }
        let diameter = match raw.diameter {
            None => None,
            Some(d) => {
                let listen: SocketAddr = d.listen.parse().map_err(|_| {
                    bad(format!(
                        "diameter.listen: expected an address such as 127.0.0.1:3868, found {:?}",
                        d.listen
                    ))
                })?;
                let identity = |name: &str, v: &str| {
                    let ok = !v.is_empty()
                        && v.len() <= 255
                        && v.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
                    if ok {
                        Ok(v.to_string())
                    } else {
                        Err(bad(format!(
                            "diameter.{name}: expected a DiameterIdentity (a host name), found {v:?}"
                        )))
                    }
                };
                if d.max_message_bytes < 1024 || d.idle_timeout_ms == 0 {
                    return Err(bad(format!(
                        "diameter: expected max_message_bytes of at least 1024 and a positive \
                         idle_timeout_ms, found {} and {}",
                        d.max_message_bytes, d.idle_timeout_ms
                    )));
                }
                Some(Diameter {
                    listen,
                    origin_host: identity("origin_host", &d.origin_host)?,
                    origin_realm: identity("origin_realm", &d.origin_realm)?,
                    allowed_peers: d.allowed_peers.into_iter().collect(),
                    max_message_bytes: d.max_message_bytes,
                    idle_timeout: Duration::from_millis(d.idle_timeout_ms),
                })
            }
        };
        let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        Ok(Config {
            snapshot: resolve(raw.snapshot),
            reload_interval: Duration::from_millis(raw.reload_interval_ms),
            network_key_file: raw.network_key_file.map(resolve),
            http: Http {
                listen,
                max_connections: raw.http.max_connections,
                max_body_bytes: raw.http.max_body_bytes,
                max_uri_bytes: raw.http.max_uri_bytes,
                max_batch: raw.http.max_batch,
                request_timeout: Duration::from_millis(raw.http.request_timeout_ms),
                header_timeout: Duration::from_millis(raw.http.header_timeout_ms),
                tls: raw.http.tls.map(|t| Tls {
                    certificate: resolve(t.certificate),
                    private_key: resolve(t.private_key),
                    client_ca: t.client_ca.map(resolve),
                }),
            },
            unknown_equipment,
            diameter,
            clients,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const GOOD: &str = r#"
snapshot = "r.snapshot"
unknown_equipment = "not-found"
[http]
listen = "127.0.0.1:0"
[[client]]
name = "amf"
token_sha256 = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
scopes = ["eir", "metrics"]
requests_per_second = 100
"#;

    #[test]
    fn a_good_file_is_typed() {
        let c = Config::parse(GOOD, "serve.toml", Path::new("/etc/spectra")).unwrap();
        assert_eq!(c.snapshot, Path::new("/etc/spectra/r.snapshot"));
        assert_eq!(c.unknown_equipment, UnknownEquipment::NotFound);
        assert!(c.diameter.is_none());
        let with_peer = GOOD.replace(
            "[[client]]",
            "[diameter]\nlisten = \"127.0.0.1:0\"\norigin_host = \"eir.test\"\norigin_realm = \"test\"\n[[client]]",
        );
        let d = Config::parse(&with_peer, "serve.toml", Path::new("."))
            .unwrap()
            .diameter
            .unwrap();
        assert_eq!(
            (d.origin_host.as_str(), d.max_message_bytes),
            ("eir.test", 65_536)
        );
        assert_eq!(c.http.max_batch, 1000);
        assert_eq!(c.clients[0].token_sha256.to_vec(), {
            let h = token_sha256_hex("secret");
            imei_core::pseudonym::unhex(&h).unwrap()
        });
        assert!(c.clients[0].scopes.contains(&Scope::Metrics));
        assert_eq!(c.clients[0].burst, 100);
    }

    #[test]
    fn bad_files_say_what_was_expected() {
        let cases = [
            (GOOD.replace("127.0.0.1:0", "localhost"), "http.listen"),
            (GOOD.replace("\"metrics\"", "\"admin\""), "scopes: expected eir"),
            (GOOD.replace("2bb8", "2bb"), "64 hex digits"),
            (GOOD.replace("not-found", "maybe"), "unknown_equipment"),
            (GOOD.replace("requests_per_second = 100", "requests_per_second = 0"), "positive"),
            (GOOD.replace("[http]", "colour = 1\n[http]"), "unknown field"),
            (
                GOOD.split("[[client]]").next().unwrap().to_string(),
                "at least one [[client]]",
            ),
            (GOOD.replace("[http]", "reload_interval_ms = 0\n[http]"), "reload_interval_ms"),
            (
                GOOD.replace(
                    "[[client]]",
                    "[diameter]\nlisten = \"127.0.0.1:0\"\norigin_host = \"eir test\"\norigin_realm = \"t\"\n[[client]]",
                ),
                "DiameterIdentity",
            ),
        ];
        for (text, want) in cases {
            let e = Config::parse(&text, "serve.toml", Path::new(".")).unwrap_err();
            let s = e.to_string();
            assert!(
                s.starts_with("serve.toml") && s.contains(want),
                "{want}: {s}"
            );
        }
    }
}
