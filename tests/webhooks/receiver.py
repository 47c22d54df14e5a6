"""A webhook receiver for the tests: prints its port, then one JSON line per request it gets
(path, the Standard Webhooks headers, body). It answers by path: /ok 204, /fail 500,
/redirect 302 (to /ok, which Relais must not follow)."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {"/ok": 204, "/fail": 500, "/redirect": 302}


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
        headers = {k: self.headers.get(k) for k in ("webhook-id", "webhook-timestamp", "webhook-signature", "content-type")}
        print(json.dumps({"path": self.path, "headers": headers, "body": body}), flush=True)
        status = ANSWERS.get(self.path, 404)
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
