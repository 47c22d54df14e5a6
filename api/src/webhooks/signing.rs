//! Standard Webhooks 1.0 signatures: `whsec_` + base64 secrets, HMAC-SHA256 over
//! `{webhook-id}.{webhook-timestamp}.{body}`, sent as `v1,<base64>` (several, space-separated,
//! while a rotated secret still signs).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{ApiError, ApiResult};

const PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes.
pub fn new_secret() -> ApiResult<String> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(ApiError::internal)?;
    Ok(format!("{PREFIX}{}", STANDARD.encode(key)))
}

/// The `webhook-signature` header for one message, one `v1,` signature per secret.
pub fn signature(secrets: &[&str], id: &str, timestamp: i64, body: &str) -> ApiResult<String> {
    let signed = format!("{id}.{timestamp}.{body}");
    let signatures = secrets
        .iter()
        .map(|secret| {
            let key = STANDARD.decode(secret.trim_start_matches(PREFIX)).map_err(ApiError::internal)?;
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(ApiError::internal)?;
            mac.update(signed.as_bytes());
            Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(signatures.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_the_standard_s_example() {
        // The example of the Standard Webhooks specification (spec/standard-webhooks.md).
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let got = signature(&[secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).ok();
        assert_eq!(got.as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    #[test]
    fn a_rotated_secret_signs_beside_the_new_one() {
        let (old, new) = (new_secret().unwrap_or_default(), new_secret().unwrap_or_default());
        assert!(new.starts_with("whsec_") && new != old);
        let both = signature(&[&new, &old], "msg_1", 1, "{}").unwrap_or_default();
        assert_eq!(both.split(' ').count(), 2);
        assert!(both.split(' ').all(|s| s.starts_with("v1,")));
    }
}
