//! Password hashes (argon2id) and API client secrets (random, stored as SHA-256).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    Argon2::default().hash_password(password.as_bytes()).map(|hash| hash.to_string()).map_err(ApiError::internal)
}

/// Constant work whether or not the hash is well-formed.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A well-formed hash of no known password: verifying against it when the login is unknown
/// costs the same time as a real check, so response times do not reveal which logins exist.
pub fn dummy_password_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4Z2mSfVn0lN6a6oZfU3m3xS0y9Vn6b3x9y2qfW6hJrk"
}

/// 32 random bytes, URL-safe base64: used for API client secrets and token ids.
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Client secrets carry 256 bits of entropy, so a fast hash is enough to store them safely.
pub fn hash_client_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares without stopping at the first difference.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_own_hash_only() -> Result<(), ApiError> {
        let hash = hash_password("correct horse")?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("anything", dummy_password_hash()));
        Ok(())
    }

    #[test]
    fn client_secrets_hash_stably() -> Result<(), ApiError> {
        let secret = random_token()?;
        assert_eq!(hash_client_secret(&secret), hash_client_secret(&secret));
        assert!(constant_time_eq(&hash_client_secret(&secret), &hash_client_secret(&secret)));
        assert!(!constant_time_eq("abc", "abd"));
        Ok(())
    }
}
