#!/usr/bin/env python3
"""Times the service-client token requests and introspection on a running local server (docs/performance.md).

Usage: start `java -jar functions/local/target/latchkey-local.jar` on a fresh data folder, then
    python3 tools/bench/clients.py [http://localhost:3000]
Sets up an owner, an organization, a resource with scopes read/write, a client with a secret and an Ed25519
key and a grant of "read", then sends 50 sequential requests of each kind and prints p50/p90/max in ms. The
OAuth routes allow 60 requests per minute and source IP, so each kind comes from its own loopback address
(127.N.0.2, 127.N.0.3, ... with a random N per run, so runs back to back do not share a bucket): Linux routes
all of 127/8 to lo. Needs the `cryptography` package (Ed25519
signing of the client assertions).
"""
import base64
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000"
HOST = urllib.parse.urlparse(BASE)
PASSWORD = "correct-horse-staple-92!"
SAMPLES = 50
NET = "127.%d.0." % (os.getpid() % 250 + 1)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def call(method, path, body=None, headers=None, source="127.0.0.1", form=False):
    connection = http.client.HTTPConnection(HOST.hostname, HOST.port, source_address=(source, 0))
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body) if form else json.dumps(body)
        headers["content-type"] = "application/x-www-form-urlencoded" if form else "application/json"
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, json.loads(payload or b"{}")


def expect(result, status):
    assert result[0] == status, result
    return result[1]


def timed(name, source, request, check):
    samples = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        result = request(source)
        samples.append((time.perf_counter() - started) * 1000)
        check(result)
    samples.sort()
    print("%-44s p50 %6.1f ms  p90 %6.1f ms  max %6.1f ms  (n=%d)" % (name, statistics.median(samples),
          samples[int(len(samples) * 0.9) - 1], samples[-1], len(samples)))


def main():
    email = "bench-clients-%d@example.com" % int(time.time())
    expect(call("POST", "/v1/auth/register", {"email": email, "password": PASSWORD, "name": "Bench"}), 201)
    access = expect(call("POST", "/v1/auth/login/password", {"email": email, "password": PASSWORD}), 200)
    bearer = {"authorization": "Bearer " + access["access_token"]}
    org = expect(call("POST", "/v1/orgs", {"name": "Bench"}, bearer), 201)["id"]
    audience = "https://bench-%d.example.com" % int(time.time())
    resource = expect(call("POST", "/v1/orgs/%s/resources" % org,
                           {"name": "Bench API", "audience": audience, "scopes": ["read", "write"]}, bearer), 201)
    client = expect(call("POST", "/v1/orgs/%s/clients" % org,
                         {"name": "bench", "allowed_resources": [resource["id"]]}, bearer), 201)
    client_id, secret = client["client_id"], client["secret"]["client_secret"]
    expect(call("PUT", "/v1/orgs/%s/resources/%s/grants/%s" % (org, resource["id"], client_id),
                {"scopes": ["read"]}, bearer), 200)
    key = Ed25519PrivateKey.generate()
    x = b64url(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    expect(call("POST", "/v1/orgs/%s/clients/%s/keys" % (org, client_id),
                {"jwk": {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "bench"}}, bearer), 201)
    api_key = expect(call("POST", "/v1/orgs/%s/api-keys" % org, {"name": "bench", "permissions": ["read"]},
                          bearer), 201)["key"]
    basic = {"authorization": "Basic " + base64.b64encode(
        (urllib.parse.quote(client_id, safe="") + ":" + urllib.parse.quote(secret, safe="")).encode()).decode()}

    def assertion():
        now = int(time.time())
        header = b64url(json.dumps({"alg": "EdDSA", "kid": "bench", "typ": "JWT"}).encode())
        claims = b64url(json.dumps({"iss": client_id, "sub": client_id, "aud": BASE + "/oauth/token", "iat": now,
                                    "exp": now + 60, "jti": b64url(os.urandom(16))}).encode())
        signature = b64url(key.sign((header + "." + claims).encode()))
        return header + "." + claims + "." + signature

    grant = {"grant_type": "client_credentials", "resource": audience}
    token = expect(call("POST", "/oauth/token", grant, basic, form=True), 200)["access_token"]

    def ok_token(result):
        assert result[0] == 200 and result[1]["scope"] == "read", result

    def active(result):
        assert result[0] == 200 and result[1]["active"] is True, result

    timed("client_credentials, client_secret_basic", NET + "2",
          lambda s: call("POST", "/oauth/token", grant, basic, s, form=True), ok_token)
    timed("client_credentials, private_key_jwt (Ed25519)", NET + "3",
          lambda s: call("POST", "/oauth/token", dict(grant, client_assertion_type=
                         "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion=assertion()),
                         None, s, form=True), ok_token)
    timed("introspect an access token (secret_basic)", NET + "4",
          lambda s: call("POST", "/oauth/introspect", {"token": token}, basic, s, form=True), active)
    timed("introspect an API key (secret_basic)", NET + "5",
          lambda s: call("POST", "/oauth/introspect", {"token": api_key}, basic, s, form=True), active)


if __name__ == "__main__":
    main()
