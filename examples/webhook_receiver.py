"""Receives Relais's webhooks: checks each signature with the `standardwebhooks` library,
ignores a message already handled (Relais retries with the same `webhook-id`), answers 204 at
once, and prints each new event as one JSON line.

    RELAIS_WEBHOOK_SECRET=whsec_... python webhook_receiver.py 8000

In production, put it behind your HTTPS server, and hand the event to your own queue instead
of printing it: Relais waits 10 seconds at most, and retries what was not answered 2xx.
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

verifier = Webhook(os.environ["RELAIS_WEBHOOK_SECRET"])
handled = set()  # in production: a table of the ids received in the last days


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            # Checks the HMAC of id, timestamp and body, and that the timestamp is recent.
            event = verifier.verify(body, headers)
        except WebhookVerificationError:
            self.send_response(400)
            self.end_headers()
            return
        message_id = headers["webhook-id"]
        if message_id not in handled:
            handled.add(message_id)
            print(json.dumps({"webhook_id": message_id, **event}), flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass  # the requests carry nothing worth a log line here


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    print(json.dumps({"listening": port}), flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
