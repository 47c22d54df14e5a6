"""Verifies recorded webhook requests with the `standardwebhooks` package (PyPI), an
implementation nobody at Relais wrote. Reads {"secret": ..., "requests": [...]} on stdin, each
request with the instant its receiver's clock read when it arrived (`received_at`, RFC 3339:
the tests run the server on a clock they set, and a receiver checks the signature's timestamp
against its own clock); prints, for each request, {"ok": true, "payload": ...} or
{"ok": false, "error": ...}."""
import json
import sys
from datetime import datetime, timezone

import standardwebhooks.webhooks as library
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def receiver_clock(instant):
    """The `datetime` the library reads its time from, standing at `instant`."""

    class ReceiverDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz or timezone.utc)

    return ReceiverDatetime


given = json.load(sys.stdin)
webhook = Webhook(given["secret"])
results = []
real_datetime = library.datetime
for request in given["requests"]:
    received_at = datetime.fromisoformat(request["received_at"].replace("Z", "+00:00"))
    library.datetime = receiver_clock(received_at)
    try:
        payload = webhook.verify(request["body"], request["headers"])
        results.append({"ok": True, "payload": payload})
    except WebhookVerificationError as error:
        results.append({"ok": False, "error": str(error)})
    finally:
        library.datetime = real_datetime
print(json.dumps(results))
