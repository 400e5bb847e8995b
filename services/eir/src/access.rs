//! Who may call what: bearer tokens per client, checked by their SHA-256
//! (the configuration holds only hashes), the scope each path needs, and a
//! per-client rate limit (GCRA, the `governor` crate) answered 429 with
//! `Retry-After`.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

use crate::config::{Client, Scope};

/// A client with its limiter.
#[derive(Debug)]
pub struct Admitted {
    /// The client.
    pub client: Client,
    limiter: DefaultDirectRateLimiter,
}

/// Why a request was turned away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// No bearer token, or one no client has (401).
    Unauthenticated,
    /// The client lacks the scope (403).
    Forbidden {
        /// The client.
        client: String,
        /// The scope needed.
        scope: Scope,
    },
    /// Over the client's rate (429).
    RateLimited {
        /// The client.
        client: String,
        /// When to try again.
        retry_after: Duration,
    },
}

/// The clients of a configuration.
#[derive(Debug)]
pub struct Clients {
    by_hash: HashMap<[u8; 32], usize>,
    admitted: Vec<Admitted>,
    clock: DefaultClock,
}

impl Clients {
    /// The clients, each with its own limiter.
    pub fn new(clients: &[Client]) -> Self {
        let admitted: Vec<Admitted> = clients
            .iter()
            .map(|c| {
                let rate = NonZeroU32::new(c.requests_per_second).unwrap_or(NonZeroU32::MIN);
                let burst = NonZeroU32::new(c.burst).unwrap_or(NonZeroU32::MIN);
                Admitted {
                    client: c.clone(),
                    limiter: RateLimiter::direct(Quota::per_second(rate).allow_burst(burst)),
                }
            })
            .collect();
        let by_hash = admitted
            .iter()
            .enumerate()
            .map(|(i, a)| (a.client.token_sha256, i))
            .collect();
        Self {
            by_hash,
            admitted,
            clock: DefaultClock::default(),
        }
    }

    /// The client of an `Authorization` header value, if it may use `scope`
    /// now.
    pub fn admit(&self, authorization: Option<&[u8]>, scope: Scope) -> Result<&Admitted, Denied> {
        let token = authorization
            .and_then(|h| h.strip_prefix(b"Bearer "))
            .filter(|t| !t.is_empty())
            .ok_or(Denied::Unauthenticated)?;
        let hash: [u8; 32] = Sha256::digest(token).into();
        let a = self
            .by_hash
            .get(&hash)
            .and_then(|&i| self.admitted.get(i))
            .ok_or(Denied::Unauthenticated)?;
        if !a.client.scopes.contains(&scope) {
            return Err(Denied::Forbidden {
                client: a.client.name.clone(),
                scope,
            });
        }
        a.limiter.check().map_err(|not_until| Denied::RateLimited {
            client: a.client.name.clone(),
            retry_after: not_until.wait_time_from(self.clock.now()),
        })?;
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeSet;

    use super::*;

    fn client(name: &str, token: &str, scopes: &[Scope], rate: u32) -> Client {
        Client {
            name: name.into(),
            token_sha256: Sha256::digest(token.as_bytes()).into(),
            scopes: scopes.iter().copied().collect::<BTreeSet<_>>(),
            requests_per_second: rate,
            burst: rate,
        }
    }

    #[test]
    fn tokens_scopes_and_rates() {
        let c = Clients::new(&[
            client("amf", "t-amf", &[Scope::Eir], 2),
            client("ops", "t-ops", &[Scope::OperatorApi, Scope::Metrics], 100),
        ]);
        assert_eq!(
            c.admit(None, Scope::Eir).unwrap_err(),
            Denied::Unauthenticated
        );
        assert_eq!(
            c.admit(Some(b"Bearer wrong"), Scope::Eir).unwrap_err(),
            Denied::Unauthenticated
        );
        assert_eq!(
            c.admit(Some(b"Basic t-amf"), Scope::Eir).unwrap_err(),
            Denied::Unauthenticated
        );
        assert!(matches!(
            c.admit(Some(b"Bearer t-ops"), Scope::Eir).unwrap_err(),
            Denied::Forbidden {
                scope: Scope::Eir,
                ..
            }
        ));
        assert_eq!(
            c.admit(Some(b"Bearer t-ops"), Scope::Metrics)
                .unwrap()
                .client
                .name,
            "ops"
        );
        // A burst of 2, then refused until the rate allows another.
        assert!(c.admit(Some(b"Bearer t-amf"), Scope::Eir).is_ok());
        assert!(c.admit(Some(b"Bearer t-amf"), Scope::Eir).is_ok());
        match c.admit(Some(b"Bearer t-amf"), Scope::Eir).unwrap_err() {
            Denied::RateLimited { retry_after, .. } => {
                assert!(retry_after <= Duration::from_millis(500), "{retry_after:?}")
            }
            other => panic!("{other:?}"),
        }
    }
}
