"""Verifies recorded webhook requests with the `standardwebhooks` package (PyPI), an
implementation nobody at Relais wrote. Reads {"secret": ..., "requests": [...]} on stdin;
prints, for each request, {"ok": true, "payload": ...} or {"ok": false, "error": ...}."""
import json
import sys

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

given = json.load(sys.stdin)
webhook = Webhook(given["secret"])
results = []
for request in given["requests"]:
    try:
        payload = webhook.verify(request["body"], request["headers"])
        results.append({"ok": True, "payload": payload})
    except WebhookVerificationError as error:
        results.append({"ok": False, "error": str(error)})
print(json.dumps(results))
