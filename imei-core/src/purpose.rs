//! Purposes of personal data (personal-data law: purpose limitation). Each
//! purpose pseudonymises subscriber and owner identifiers with its own key,
//! its own HMAC-SHA256 domain and its own prefix, so that two purposes'
//! tables cannot be joined on an identifier: owner registration uses
//! [`PseudonymKey::pseudonymise`] (`p1:`), network monitoring (the IMSIs and
//! MSISDNs of operator data) uses [`network_pseudonym`] (`n1:`). A registry
//! records each purpose's key fingerprint and refuses one key for two
//! purposes.
//!
//! ```
//! use imei_core::pseudonym::PseudonymKey;
//! use imei_core::purpose::{network_pseudonym, Field};
//! let key = PseudonymKey::new(&[7u8; 32]).unwrap();
//! let imsi = network_pseudonym(&key, Field::Imsi, "437010000000001");
//! assert!(imsi.starts_with("n1:") && imsi.len() == 3 + 64);
//! // The same digits as an MSISDN, or as an owner, give other pseudonyms.
//! assert_ne!(imsi, network_pseudonym(&key, Field::Msisdn, "437010000000001"));
//! assert_ne!(imsi[3..], key.pseudonymise("437010000000001")[3..]);
//! ```

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::pseudonym::{PseudonymKey, hex};

/// Prefix of network-monitoring pseudonyms.
pub const NETWORK_PREFIX: &str = "n1:";

/// HMAC domain of network-monitoring pseudonyms.
const NETWORK_DOMAIN: &[u8] = b"spectra/imei-registry/network-subscriber/v1\0";

/// The purposes personal data is held for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    /// Owners of registered devices (the owner pseudonyms of the devices).
    OwnerRegistration,
    /// Subscribers seen in operators' network data.
    NetworkMonitoring,
}

impl Purpose {
    /// The name used in the registry (`meta` keys, audit entries, exports).
    pub fn name(self) -> &'static str {
        match self {
            Purpose::OwnerRegistration => "owner_registration",
            Purpose::NetworkMonitoring => "network_monitoring",
        }
    }
}

/// Which subscriber identifier a network pseudonym stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// IMSI (3GPP TS 23.003).
    Imsi,
    /// MSISDN (E.164 number).
    Msisdn,
}

/// The network-monitoring pseudonym of an IMSI or MSISDN (digits only are
/// kept, so `+996 700 000 001` and `996700000001` agree): `n1:` and 64 hex
/// digits of HMAC-SHA256 under the purpose key's newest generation. For
/// many values, prepare the key once with [`NetworkPseudonyms`].
pub fn network_pseudonym(key: &PseudonymKey, field: Field, value: &str) -> String {
    NetworkPseudonyms::new(key).of(field, value)
}

/// The network-monitoring pseudonymiser with its key and domains prepared
/// once (what a bulk import uses; the same pseudonyms as
/// [`network_pseudonym`]). Cloning it is cheap, for one per thread.
///
/// ```
/// use imei_core::pseudonym::PseudonymKey;
/// use imei_core::purpose::{network_pseudonym, Field, NetworkPseudonyms};
/// let key = PseudonymKey::new(&[7u8; 32]).unwrap();
/// let p = NetworkPseudonyms::new(&key);
/// assert_eq!(p.of(Field::Msisdn, "+996 700 000 001"),
///            network_pseudonym(&key, Field::Msisdn, "996700000001"));
/// ```
#[derive(Clone)]
pub struct NetworkPseudonyms {
    imsi: Option<Hmac<Sha256>>,
    msisdn: Option<Hmac<Sha256>>,
}

impl std::fmt::Debug for NetworkPseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NetworkPseudonyms(..)")
    }
}

impl NetworkPseudonyms {
    /// Prepares `key`'s newest generation.
    pub fn new(key: &PseudonymKey) -> Self {
        let prepared = |field: &[u8]| {
            Hmac::<Sha256>::new_from_slice(key.newest())
                .ok()
                .map(|mut m| {
                    m.update(NETWORK_DOMAIN);
                    m.update(field);
                    m
                })
        };
        Self {
            imsi: prepared(b"imsi\0"),
            msisdn: prepared(b"msisdn\0"),
        }
    }

    /// The pseudonym of `value` as `field` (empty when the key is unusable,
    /// which [`PseudonymKey::new`] rules out).
    pub fn of(&self, field: Field, value: &str) -> String {
        let prepared = match field {
            Field::Imsi => &self.imsi,
            Field::Msisdn => &self.msisdn,
        };
        let Some(mut m) = prepared.clone() else {
            return String::new();
        };
        let (mut buf, mut n) = ([0u8; 32], 0);
        for b in value.bytes().filter(u8::is_ascii_digit) {
            if n == buf.len() {
                m.update(&buf);
                n = 0;
            }
            buf[n] = b;
            n += 1;
        }
        m.update(&buf[..n]);
        let mut out = String::with_capacity(NETWORK_PREFIX.len() + 64);
        out.push_str(NETWORK_PREFIX);
        out.push_str(&hex(&m.finalize().into_bytes()));
        out
    }
}
