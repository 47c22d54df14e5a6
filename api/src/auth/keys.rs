//! The Ed25519 signing key: loaded from a PKCS#8 PEM file, created there (mode 0600) when absent,
//! and published as a JWK set so that other services can verify our tokens.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, spki::der::pem::LineEnding};
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub struct JwtKeys {
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    /// RFC 7638 thumbprint of the public key.
    pub kid: String,
    /// The public key, base64url (the JWK `x` member).
    pub public_x: String,
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

/// The JWK set published at `/.well-known/jwks.json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

impl JwtKeys {
    /// Loads the key at `path`, creating it first when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(pem) => Self::from_pem(&pem),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let pem = generate_pem()?;
                match write_new_private_file(path, pem.as_bytes()) {
                    Ok(()) => {
                        log::info!("created a new JWT signing key at {}", path.display());
                        Self::from_pem(&pem)
                    }
                    // Another instance created it first: use theirs.
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => Self::load_or_create(path),
                    Err(e) => Err(format!("cannot write the JWT key file {}: {e}", path.display())),
                }
            }
            Err(e) => Err(format!("cannot read the JWT key file {}: {e}", path.display())),
        }
    }

    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let signing = SigningKey::from_pkcs8_pem(pem).map_err(|e| format!("the JWT key is not an Ed25519 PKCS#8 PEM: {e}"))?;
        let public_x = URL_SAFE_NO_PAD.encode(signing.verifying_key().to_bytes());
        let encoding = EncodingKey::from_ed_pem(pem.as_bytes()).map_err(|e| format!("unusable JWT key: {e}"))?;
        let decoding = DecodingKey::from_ed_components(&public_x).map_err(|e| format!("unusable JWT key: {e}"))?;
        Ok(Self { encoding, decoding, kid: thumbprint(&public_x), public_x })
    }

    /// A fresh key that lives only in memory (tests and `relais openapi`).
    pub fn ephemeral() -> Result<Self, String> {
        Self::from_pem(&generate_pem()?)
    }

    pub fn jwk_set(&self) -> JwkSet {
        JwkSet {
            keys: vec![Jwk {
                kty: "OKP".into(),
                crv: "Ed25519".into(),
                x: self.public_x.clone(),
                kid: self.kid.clone(),
                use_: "sig".into(),
                alg: "EdDSA".into(),
            }],
        }
    }
}

pub fn generate_pem() -> Result<String, String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness for the JWT key: {e}"))?;
    let pem = SigningKey::from_bytes(&seed).to_pkcs8_pem(LineEnding::LF).map_err(|e| format!("cannot encode the JWT key: {e}"))?;
    Ok(pem.to_string())
}

fn write_new_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// RFC 7638: SHA-256 over the required members in lexicographic order.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}
