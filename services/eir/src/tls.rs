//! TLS for the HTTP listener (rustls with the *ring* provider): the
//! certificate chain and key from PEM files, ALPN `h2` then `http/1.1`, and
//! optionally mutual TLS — every client must present a certificate that
//! chains to the configured CA (WebPKI verification), on top of its bearer
//! token. Files that cannot be read or parsed stop the start-up with the
//! file and what was expected.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;

use crate::config::Tls;
use crate::error::EirError;

fn bad(path: &std::path::Path, message: String) -> EirError {
    EirError::Config {
        file: path.display().to_string(),
        message,
    }
}

fn certificates(path: &std::path::Path) -> Result<Vec<CertificateDer<'static>>, EirError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(path, format!("expected PEM certificates: {e}")))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad(path, format!("expected PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(bad(
            path,
            "expected at least one PEM certificate, found none".into(),
        ));
    }
    Ok(certs)
}

/// The rustls server configuration of `tls`.
pub fn server_config(tls: &Tls) -> Result<Arc<rustls::ServerConfig>, EirError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = certificates(&tls.certificate)?;
    let key = PrivateKeyDer::from_pem_file(&tls.private_key).map_err(|e| {
        bad(
            &tls.private_key,
            format!("expected a PEM private key (PKCS #8, PKCS #1 or SEC1): {e}"),
        )
    })?;
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(&tls.certificate, format!("TLS versions: {e}")))?;
    let builder = match &tls.client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            for c in certificates(ca)? {
                roots
                    .add(c)
                    .map_err(|e| bad(ca, format!("expected a CA certificate: {e}")))?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| bad(ca, format!("client certificate verifier: {e}")))?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder.with_single_cert(chain, key).map_err(|e| {
        bad(
            &tls.certificate,
            format!("the certificate and the private key do not go together: {e}"),
        )
    })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
