"""A loopback server that checks AWS Signature Version 4 with botocore.

Each request is signed again by botocore's signer (SigV4Auth, or
S3SigV4Auth for the service s3) from what arrived on the wire: the raw
request target, the header fields the Authorization names, the body, and
the time of X-Amz-Date. 200 and "ok" when botocore's Authorization is the
one received; 403 with botocore's canonical request otherwise. Presigned
URLs (X-Amz-Signature in the query) are checked with SigV4QueryAuth /
S3SigV4QueryAuth in the same way.

It answers CORS preflights, so that a page may call it.

Usage: botocore_sigv4.py ACCESS_KEY SECRET REGION SERVICE [TOKEN]
It prints the port it listens on, then serves until stdin closes.
"""

import hashlib
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS, SECRET, REGION, SERVICE = sys.argv[1:5]
TOKEN = sys.argv[5] if len(sys.argv) > 5 else None
CREDS = Credentials(ACCESS, SECRET, TOKEN)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        host = self.headers["Host"]
        url = "http://" + host + self.path
        if "X-Amz-Signature=" in self.path:
            return self.presigned(url, body)
        auth = self.headers.get("Authorization", "")
        try:
            signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
        except IndexError:
            return self.answer(403, "no SigV4 Authorization: " + auth)
        headers = {}
        for name in signed:
            if name == "host":
                continue
            values = self.headers.get_all(name)
            if values is None:
                return self.answer(403, "a signed header did not arrive: " + name)
            headers[name] = ",".join(values)
        sha = self.headers.get("X-Amz-Content-Sha256")
        if sha and sha != "UNSIGNED-PAYLOAD" and sha != hashlib.sha256(body).hexdigest():
            return self.answer(403, "X-Amz-Content-Sha256 is not the body's")
        req = AWSRequest(method=self.command, url=url, data=body, headers=headers)
        req.context["timestamp"] = self.headers["X-Amz-Date"]
        cls = S3SigV4Auth if SERVICE == "s3" else SigV4Auth
        signer = cls(CREDS, SERVICE, REGION)
        canonical = signer.canonical_request(req)
        sts = signer.string_to_sign(req, canonical)
        sig = signer.signature(sts, req)
        expect = "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" % (
            signer.scope(req), ";".join(signed), sig)
        if TOKEN and self.headers.get("X-Amz-Security-Token") != TOKEN:
            return self.answer(403, "the session token did not arrive")
        if auth != expect:
            return self.answer(403, "botocore signs:\n" + expect + "\n\n" + canonical + "\n\n" + sts)
        self.answer(200, "ok")

    def presigned(self, url, body):
        path, _, query = self.path.partition("?")
        params = parse_qsl(query, keep_blank_values=True)
        got = dict(params)
        rest = "&".join(p for p in query.split("&") if not p.startswith("X-Amz-"))
        base = "http://" + self.headers["Host"] + path + ("?" + rest if rest else "")
        req = AWSRequest(method=self.command, url=base, data=body, headers={})
        req.context["timestamp"] = got["X-Amz-Date"]
        cls = S3SigV4QueryAuth if SERVICE == "s3" else SigV4QueryAuth
        signer = cls(CREDS, SERVICE, REGION, expires=int(got["X-Amz-Expires"]))
        signer._modify_request_before_signing(req)
        canonical = signer.canonical_request(req)
        sts = signer.string_to_sign(req, canonical)
        sig = signer.signature(sts, req)
        if sig != got.get("X-Amz-Signature"):
            return self.answer(403, "botocore signs:\n" + sig + "\n\n" + canonical + "\n\n" + sts)
        self.answer(200, "ok")

    def do_OPTIONS(self):
        # CORS, for the page in Chromium: every header it asks for.
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH")
        self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers", ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def answer(self, code, text):
        b = text.encode()
        self.send_response(code)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
