"""A loopback server that checks OAuth 1.0a signatures with oauthlib (the
server side of requests-oauthlib: its SignatureOnlyEndpoint), with the
signature in the Authorization header, the query or a form body.

200 "ok" when oauthlib accepts the request, 401 with its reason otherwise.
oauthlib's own checks stay on (timestamp within 10 minutes, the nonce's
length and characters, the version); only the keys are the test's.

Usage: oauthlib_verify.py CLIENT_KEY CLIENT_SECRET TOKEN TOKEN_SECRET [RSA_PUBLIC_PEM_FILE]
It prints the port it listens on, then serves until stdin closes.
"""

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint
from oauthlib.oauth1.rfc5849 import (SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256, SIGNATURE_PLAINTEXT,
                                     SIGNATURE_RSA_SHA1, SIGNATURE_RSA_SHA256)

CLIENT_KEY, CLIENT_SECRET, TOKEN, TOKEN_SECRET = sys.argv[1:5]
# The client's RSA public key (PEM file), for RSA-SHA1 and RSA-SHA256.
RSA_PUBLIC = open(sys.argv[5]).read() if len(sys.argv) > 5 else None


class Validator(RequestValidator):
    enforce_ssl = False
    allowed_signature_methods = (SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256, SIGNATURE_PLAINTEXT,
                                 SIGNATURE_RSA_SHA1, SIGNATURE_RSA_SHA256)

    # The test's keys need not have oauthlib's default lengths.
    def check_client_key(self, key):
        return key == CLIENT_KEY

    def check_access_token(self, token):
        return token == TOKEN

    @property
    def dummy_client(self):
        return "dummy-client"

    @property
    def dummy_access_token(self):
        return "dummy-token"

    def validate_client_key(self, key, request):
        return key == CLIENT_KEY

    def validate_access_token(self, key, token, request):
        return token == TOKEN

    def validate_timestamp_and_nonce(self, key, timestamp, nonce, request, request_token=None, access_token=None):
        return True

    def get_client_secret(self, key, request):
        return CLIENT_SECRET

    def get_access_token_secret(self, key, token, request):
        return TOKEN_SECRET

    def get_rsa_key(self, client_key, request):
        return RSA_PUBLIC


endpoint = SignatureOnlyEndpoint(Validator())


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8") if n else None
        uri = "http://" + self.headers["Host"] + self.path
        headers = {k: v for k, v in self.headers.items()}
        try:
            ok, request = endpoint.validate_request(uri, self.command, body, headers)
            reason = "ok" if ok else "oauthlib refused the signature"
        except Exception as e:  # an OAuth1Error names what is wrong
            ok, reason = False, "oauthlib: %s" % e
        b = reason.encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
