//! The Ed25519 signing key and the verification keys of the previous rotation, published as a
//! JWK set so that other services can verify our tokens.
//!
//! Key files are PKCS#8 PEM. Relais writes version 1 (RFC 5208: the private key alone), which
//! OpenSSL 3 (`openssl pkey`) and Python's `cryptography` read, and reads version 1 and 2
//! (RFC 5958, with the public key). A previous key may also be given as its public key alone
//! (`-----BEGIN PUBLIC KEY-----`, SPKI).

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::spki::DecodePublicKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// A key that verifies tokens.
pub struct VerificationKey {
    pub decoding: DecodingKey,
    /// RFC 7638 thumbprint of the public key: the `kid` of the tokens it signed.
    pub kid: String,
    /// The public key, base64url (the JWK `x` member).
    pub public_x: String,
}

impl VerificationKey {
    fn of(verifying: &VerifyingKey) -> Result<Self, String> {
        let public_x = URL_SAFE_NO_PAD.encode(verifying.to_bytes());
        let decoding = DecodingKey::from_ed_components(&public_x).map_err(|e| format!("unusable JWT key: {e}"))?;
        Ok(VerificationKey { decoding, kid: thumbprint(&public_x), public_x })
    }

    fn jwk(&self) -> Jwk {
        Jwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: self.public_x.clone(),
            kid: self.kid.clone(),
            use_: "sig".into(),
            alg: "EdDSA".into(),
        }
    }
}

pub struct JwtKeys {
    pub encoding: EncodingKey,
    /// The signing key's public half.
    pub current: VerificationKey,
    /// Keys of the previous rotation: tokens they signed stay valid until they expire.
    pub previous: Vec<VerificationKey>,
}

/// A public key in JWK form (RFC 8037 for Ed25519).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Jwk {
    #[schema(example = "OKP")]
    pub kty: String,
    #[schema(example = "Ed25519")]
    pub crv: String,
    /// Public key, base64url.
    pub x: String,
    pub kid: String,
    #[serde(rename = "use")]
    #[schema(example = "sig")]
    pub use_: String,
    #[schema(example = "EdDSA")]
    pub alg: String,
}

/// The JWK set published at `/.well-known/jwks.json`: the signing key first, then the keys of
/// the previous rotation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

impl JwtKeys {
    /// Loads the signing key at `path`; a missing file is an error, so that instances with a
    /// badly mounted secret never sign with keys of their own.
    pub fn load(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(pem) => Self::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(format!(
                "no JWT signing key at {0}: create one with `relais key generate --out {0}` (or run with --demo)",
                path.display()
            )),
            Err(e) => Err(format!("cannot read the JWT key file {}: {e}", path.display())),
        }
    }

    /// Loads the key at `path`, creating it first when the file does not exist: for `--demo`
    /// only, on one machine.
    pub fn load_or_create(path: &Path) -> Result<Self, String> {
        match write_new_key(path) {
            Ok(()) => log::info!("created a new JWT signing key at {}", path.display()),
            Err(e) if e.contains("exists") => {}
            Err(e) => return Err(e),
        }
        Self::load(path)
    }

    /// Adds the verification keys of the previous rotation, read from private or public PEM files.
    pub fn with_previous(mut self, paths: &[std::path::PathBuf]) -> Result<Self, String> {
        for path in paths {
            let pem = std::fs::read_to_string(path).map_err(|e| format!("cannot read the previous JWT key {}: {e}", path.display()))?;
            let verifying = match SigningKey::from_pkcs8_pem(&pem) {
                Ok(signing) => signing.verifying_key(),
                Err(_) => VerifyingKey::from_public_key_pem(&pem)
                    .map_err(|e| format!("{}: not an Ed25519 PKCS#8 or SPKI PEM: {e}", path.display()))?,
            };
            let key = VerificationKey::of(&verifying)?;
            if key.kid != self.current.kid && self.previous.iter().all(|k| k.kid != key.kid) {
                self.previous.push(key);
            }
        }
        Ok(self)
    }

    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let signing = SigningKey::from_pkcs8_pem(pem).map_err(|e| format!("the JWT key is not an Ed25519 PKCS#8 PEM: {e}"))?;
        // Signing reads PKCS#8 v1 whatever the file held.
        let der = v1(&signing).to_pkcs8_der().map_err(|e| format!("cannot encode the JWT key: {e}"))?;
        let encoding = EncodingKey::from_ed_der(der.as_bytes());
        Ok(Self { encoding, current: VerificationKey::of(&signing.verifying_key())?, previous: Vec::new() })
    }

    /// A fresh key that lives only in memory (tests and `relais openapi`).
    pub fn ephemeral() -> Result<Self, String> {
        Self::from_pem(&generate_pem()?)
    }

    /// The key that verifies a token signed with `kid`: the current one when the token names
    /// none.
    pub fn verifier(&self, kid: Option<&str>) -> Option<&VerificationKey> {
        match kid {
            None => Some(&self.current),
            Some(kid) => std::iter::once(&self.current).chain(&self.previous).find(|k| k.kid == kid),
        }
    }

    pub fn jwk_set(&self) -> JwkSet {
        JwkSet { keys: std::iter::once(&self.current).chain(&self.previous).map(VerificationKey::jwk).collect() }
    }
}

/// The private key alone: PKCS#8 version 1.
fn v1(signing: &SigningKey) -> KeypairBytes {
    KeypairBytes { secret_key: signing.to_bytes(), public_key: None }
}

/// A new key as PKCS#8 v1 PEM.
pub fn generate_pem() -> Result<String, String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness for the JWT key: {e}"))?;
    let pem = v1(&SigningKey::from_bytes(&seed)).to_pkcs8_pem(LineEnding::LF).map_err(|e| format!("cannot encode the JWT key: {e}"))?;
    Ok(pem.to_string())
}

/// Writes a new key to `path` (mode 0600), never over an existing file.
pub fn write_new_key(path: &Path) -> Result<(), String> {
    let pem = generate_pem()?;
    let write = || -> std::io::Result<()> {
        let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
        file.write_all(pem.as_bytes())?;
        file.sync_all()
    };
    write().map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => format!("{} exists already: a key is never overwritten", path.display()),
        _ => format!("cannot write the JWT key file {}: {e}", path.display()),
    })
}

/// RFC 7638: SHA-256 over the required members in lexicographic order.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_version_1_and_reads_both_versions() -> Result<(), String> {
        let pem = generate_pem()?;
        let signing = SigningKey::from_pkcs8_pem(&pem).map_err(|e| e.to_string())?;
        let der = v1(&signing).to_pkcs8_der().map_err(|e| e.to_string())?;
        // PrivateKeyInfo ::= SEQUENCE { version INTEGER 0, ... }: v1 carries 0, v2 carries 1.
        assert_eq!(der.as_bytes().get(2..5), Some(&[0x02, 0x01, 0x00][..]));
        let v2_pem = signing.to_pkcs8_pem(LineEnding::LF).map_err(|e| e.to_string())?.to_string();
        assert_ne!(v2_pem, pem);
        assert_eq!(JwtKeys::from_pem(&v2_pem)?.current.kid, JwtKeys::from_pem(&pem)?.current.kid);
        Ok(())
    }
}
