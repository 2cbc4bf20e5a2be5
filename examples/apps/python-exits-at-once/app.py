#!/usr/bin/env python3
"""A small order service on Python's http.server, as many are written: it dies at once on SIGTERM.

It serves GET /healthz (readiness) and POST /orders (about 50 ms of work, then 201). Its SIGTERM handler exits the
process on the spot, so requests in flight are cut and the port closes while routing may still send it connections.
drainlab measures that and proposes the manifest fix (a preStop sleep).

    python3 app.py --port 8080        # or PORT=8080 python3 app.py
"""

import argparse
import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.0 (http.server's default): one request per connection, so every request is routed anew.
    def do_GET(self):
        if self.path == "/healthz":
            self.reply(200, {"ok": True})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/orders":
            self.reply(404, {"error": "not found"})
            return
        length = int(self.headers.get("content-length") or 0)
        order = self.rfile.read(length) if length else b"{}"
        time.sleep(0.05)  # the "database"
        self.reply(201, {"order": json.loads(order or b"{}"), "pid": os.getpid()})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def on_sigterm(signum, frame):
        # "Shut down" the naive way: leave now, whatever is in flight.
        sys.stderr.write("SIGTERM: exiting now\n")
        sys.stderr.flush()
        os._exit(143)

    signal.signal(signal.SIGTERM, on_sigterm)
    sys.stderr.write("listening on 127.0.0.1:%d\n" % args.port)
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
