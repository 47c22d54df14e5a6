use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::schema::{webhook_deliveries, webhook_subscriptions};
use crate::error::{ApiError, ApiResult};
use crate::time::utc;

/// What a subscription may be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum EventType {
    /// A referral the unit sent changed status (`contact_attempted`, `accepted`, `declined`).
    /// `data`: `id`, `status`, `status_changed_at`, `agent_reference`, `procedure_reference`,
    /// what the unit reads of it through `GET /api/v1/referrals/{id}`.
    #[serde(rename = "referral.status_changed")]
    ReferralStatusChanged,
}

impl EventType {
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::ReferralStatusChanged => "referral.status_changed",
        }
    }

    fn parse(code: &str) -> ApiResult<Self> {
        match code {
            "referral.status_changed" => Ok(EventType::ReferralStatusChanged),
            other => Err(ApiError::internal(format!("unknown stored event type {other:?}"))),
        }
    }
}

/// A unit's subscription: where its software wants to be told.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://logiciel.police-villefontaine.fr/relais/webhooks", "events": ["referral.status_changed"]}))]
pub struct NewSubscription {
    /// `https` to a public address (or a host the server lists in
    /// `RELAIS_WEBHOOK_ALLOWED_HOSTS`, which may use `http`); up to 2,000 characters.
    #[validate(length(min = 1, max = 2000))]
    #[schema(max_length = 2000)]
    pub url: String,
    /// At least one event type.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub events: Vec<EventType>,
}

/// Changes to a subscription: the owner changes its URL or events, or re-enables it; the
/// owner or a CCAS administrator disables it.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true}))]
pub struct SubscriptionChanges {
    #[validate(length(min = 1, max = 2000))]
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub events: Option<Vec<EventType>>,
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_subscriptions)]
pub struct SubscriptionRow {
    pub id: String,
    pub organisation_id: String,
    pub ccas_id: String,
    pub url: String,
    pub events: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<NaiveDateTime>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl SubscriptionRow {
    /// The secrets that sign a message sent at `now`: the current one, and the previous one
    /// for a day after a rotation.
    pub fn signing_secrets(&self, now: NaiveDateTime) -> Vec<&str> {
        let previous = self.previous_secret.as_deref().filter(|_| self.previous_secret_until.is_some_and(|until| now < until));
        std::iter::once(self.secret.as_str()).chain(previous).collect()
    }
}

/// A subscription as its owner and the CCAS administrators see it (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct Subscription {
    pub id: String,
    /// The unit that owns it.
    pub organisation_id: String,
    pub url: String,
    pub events: Vec<EventType>,
    /// False once disabled: by its owner, by an administrator, or after a message failed for 24
    /// hours (`disabled_reason`: `owner`, `admin`, `failing`).
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// Until then, the secret before the last rotation signs too.
    pub previous_secret_until: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl TryFrom<SubscriptionRow> for Subscription {
    type Error = ApiError;
    fn try_from(r: SubscriptionRow) -> ApiResult<Self> {
        Ok(Subscription {
            events: r.events.split_whitespace().map(EventType::parse).collect::<ApiResult<_>>()?,
            id: r.id,
            organisation_id: r.organisation_id,
            url: r.url,
            enabled: r.enabled,
            disabled_reason: r.disabled_reason,
            consecutive_failures: r.consecutive_failures,
            previous_secret_until: r.previous_secret_until.map(utc),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
    }
}

/// A subscription just created, or whose secret was just rotated: the secret is shown this
/// once. Verify deliveries with any Standard Webhooks library.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionWithSecret {
    pub subscription: Subscription,
    /// `whsec_` + base64.
    pub secret: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub message_id: String,
    pub subscription_id: String,
    pub attempt: i32,
    pub attempted_at: NaiveDateTime,
    pub response_status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// One attempt to deliver a message.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: String,
    /// The message's `webhook-id`, the same on every attempt.
    pub message_id: String,
    /// 1 for the first attempt.
    pub attempt: i32,
    pub attempted_at: chrono::DateTime<chrono::Utc>,
    /// The receiver's HTTP status; null when no answer came.
    pub response_status: Option<i32>,
    /// Why no 2xx came: `timeout`, `connection_failed`, `dns_failure`, `address_not_allowed`,
    /// `http_status`, `redirect_not_followed`.
    pub error: Option<String>,
    pub duration_ms: i32,
}

impl From<DeliveryRow> for Delivery {
    fn from(r: DeliveryRow) -> Self {
        Delivery {
            id: r.id,
            message_id: r.message_id,
            attempt: r.attempt,
            attempted_at: utc(r.attempted_at),
            response_status: r.response_status,
            error: r.error,
            duration_ms: r.duration_ms,
        }
    }
}

/// The events as stored: space-separated, each once.
pub fn stored_events(events: &[EventType]) -> String {
    let mut codes: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(" ")
}
