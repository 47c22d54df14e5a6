"""A small client of the Relais API for a unit's software (police municipale, gendarmerie).

It does what docs/integration.md explains, and nothing more:

- gets an access token with the client-credentials grant and renews it before it expires;
- sends a referral with an ``Idempotency-Key``, retrying on network failures and on 429/503
  answers (honouring ``Retry-After``) with the same key and the same body, so that a retry
  never creates a second referral;
- reads a referral's status and lists the unit's referrals page by page;
- subscribes to webhooks.

Errors come back as RFC 9457 problem+json: ``RelaisError`` carries the problem, whose
``request_id`` is the reference to give the Relais support.
"""

import logging
import time

import requests

log = logging.getLogger("relais")

#: Statuses worth retrying: too many requests, and the service briefly unavailable.
RETRYABLE_STATUSES = {429, 502, 503, 504}


class RelaisError(Exception):
    """An answer that is not a success: its HTTP status and its problem+json body."""

    def __init__(self, status, problem):
        self.status = status
        self.problem = problem
        super().__init__(f"{status} {problem.get('code', '')}: {problem.get('detail', problem.get('title', ''))}"
                         f" (request {problem.get('request_id', '?')})")


class Relais:
    def __init__(self, base_url, client_id, client_secret, timeout=10, max_attempts=5):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.session = requests.Session()
        self._token = None
        self._token_expires_at = 0.0

    # --- tokens -------------------------------------------------------------------------

    def token(self):
        """A valid access token: the cached one, or a new one a minute before it expires."""
        if self._token is None or time.monotonic() > self._token_expires_at - 60:
            answer = self.session.post(
                f"{self.base_url}/api/v1/auth/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),  # HTTP Basic, as RFC 6749 prefers
                timeout=self.timeout,
            )
            body = _json_or_raise(answer)
            self._token = body["access_token"]
            self._token_expires_at = time.monotonic() + body["expires_in"]
        return self._token

    # --- requests -----------------------------------------------------------------------

    def request(self, method, path, *, json=None, params=None, headers=None, retry=False):
        """One call to the API; with ``retry``, network failures and 429/5xx answers are
        retried with a growing delay. Only retry what is safe to repeat: a read, or a
        creation carrying an ``Idempotency-Key``."""
        attempts = self.max_attempts if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                answer = self.session.request(
                    method,
                    f"{self.base_url}{path}",
                    json=json,
                    params=params,
                    headers={"Authorization": f"Bearer {self.token()}", **(headers or {})},
                    timeout=self.timeout,
                )
            except (requests.ConnectionError, requests.Timeout) as failure:
                if attempt == attempts:
                    raise
                log.warning("%s %s: %s; retrying (attempt %d of %d)", method, path, type(failure).__name__, attempt + 1, attempts)
                time.sleep(_backoff(attempt))
                continue
            if answer.status_code == 401 and attempt < attempts:
                self._token = None  # revoked or expired early: get a new one and try again
                continue
            if answer.status_code in RETRYABLE_STATUSES and attempt < attempts:
                log.warning("%s %s: %d; retrying (attempt %d of %d)", method, path, answer.status_code, attempt + 1, attempts)
                time.sleep(_retry_after(answer) or _backoff(attempt))
                continue
            return _json_or_raise(answer)
        raise RuntimeError("unreachable")

    # --- referrals ----------------------------------------------------------------------

    def send_referral(self, referral, idempotency_key):
        """Creates the referral once, however many times it is sent with the same key and
        body. The key should come from your own record (your intervention's number), so that
        a retry after a crash of your software uses it again."""
        return self.request("POST", "/api/v1/referrals", json=referral,
                            headers={"Idempotency-Key": idempotency_key}, retry=True)

    def referral(self, referral_id):
        """The referral as the unit sees it: its status, status history and dates."""
        return self.request("GET", f"/api/v1/referrals/{referral_id}", retry=True)

    def referrals(self, status=None, page_size=50):
        """Every referral of the unit, newest first, following the pages' cursors."""
        params = {"limit": page_size}
        if status:
            params["status"] = status
        while True:
            page = self.request("GET", "/api/v1/referrals", params=params, retry=True)
            yield from page["items"]
            if not page.get("next_cursor"):
                return
            params["cursor"] = page["next_cursor"]

    # --- webhooks -----------------------------------------------------------------------

    def subscribe(self, url, events=("referral.status_changed",)):
        """A webhook subscription; its secret is in the answer this once only."""
        return self.request("POST", "/api/v1/webhook-subscriptions", json={"url": url, "events": list(events)})


def _json_or_raise(answer):
    if answer.status_code >= 400:
        try:
            problem = answer.json()
        except ValueError:
            problem = {"detail": answer.text[:200]}
        raise RelaisError(answer.status_code, problem)
    return answer.json() if answer.content else None


def _backoff(attempt):
    return min(0.5 * 2 ** (attempt - 1), 8.0)


def _retry_after(answer):
    value = answer.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None
