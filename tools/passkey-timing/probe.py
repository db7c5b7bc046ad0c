#!/usr/bin/env python3
"""Issue 20 §2: does a passkey login under a real credential id take longer than under a decoy id?

Against a running Latchkey (the local server), as the issue's probe did: an account with one passkey, then n
login/verify calls under its real credential id and n under the decoy id login/options shows for an unknown address,
interleaved at random, each a hand-built assertion with a valid client data and authenticator data but a wrong
signature (both fail with the same 401). Prints each side's mean, standard deviation and Welch's z.

    python3 tools/passkey-timing/probe.py http://localhost:3417 /tmp/data-dir [n]

Needs the `cryptography` package (for the passkey's P-256 key). Paced to stay under the per-IP passkey login limit
(30 verify calls a minute), so n=40 takes about three minutes.
"""
import base64, glob, hashlib, json, os, random, statistics, sys, time, urllib.request, urllib.error
from cryptography.hazmat.primitives.asymmetric import ec


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def call(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    elapsed = time.perf_counter() - started
    return status, (json.loads(payload) if payload else None), elapsed


def cbor_head(major, value):
    if value < 24:
        return bytes([major << 5 | value])
    if value < 256:
        return bytes([major << 5 | 24, value])
    return bytes([major << 5 | 25]) + value.to_bytes(2, "big")


def cbor(value):
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, int):
        return cbor_head(0, value) if value >= 0 else cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return cbor_head(2, len(value)) + value
    if isinstance(value, str):
        return cbor_head(3, len(value.encode())) + value.encode()
    if isinstance(value, dict):
        return cbor_head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(type(value))


def main():
    base, data_dir = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    origin = base.rstrip("/")
    rp_id = "localhost"
    email = "timing-%d@example.com" % random.randrange(10**9)
    password = "Probe-Lantern-Comet-%d!" % random.randrange(10**6)
    assert call(base, "POST", "/v1/auth/register", {"email": email, "password": password, "name": "Probe"})[0] < 300
    time.sleep(0.5)
    outbox = sorted(glob.glob(os.path.join(data_dir, "outbox", "*email-verification*.json")), key=os.path.getmtime)
    import re
    token = re.findall(r"lkv_[A-Za-z0-9_-]*", open(outbox[-1]).read())[-1]
    call(base, "POST", "/v1/auth/email/verify", {"token": token})
    status, login, _ = call(base, "POST", "/v1/auth/login/password", {"email": email, "password": password})
    assert status == 200, login
    access = login["access_token"]

    # Register a passkey: attestation "none", a fresh P-256 key.
    status, options, _ = call(base, "POST", "/v1/auth/passkeys/register/options", {}, access)
    assert status == 200, options
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    cose = cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
    credential_id = os.urandom(32)
    rp_hash = hashlib.sha256(rp_id.encode()).digest()
    auth_data = rp_hash + bytes([0x45 | 0x00]) + (0).to_bytes(4, "big") + bytes(16) \
        + len(credential_id).to_bytes(2, "big") + credential_id + cose
    client_data = json.dumps({"type": "webauthn.create", "challenge": options["public_key"]["challenge"],
                              "origin": origin, "crossOrigin": False}, separators=(",", ":")).encode()
    attestation = cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
    status, added, _ = call(base, "POST", "/v1/auth/passkeys/register/verify", {
        "challenge_id": options["challenge_id"],
        "credential": {"id": b64u(credential_id), "rawId": b64u(credential_id), "type": "public-key",
                       "response": {"clientDataJSON": b64u(client_data), "attestationObject": b64u(attestation),
                                    "transports": ["internal"]}, "clientExtensionResults": {}}}, access)
    assert status == 201, added

    unknown = "nobody-%d@example.com" % random.randrange(10**9)
    decoy_ids = call(base, "POST", "/v1/auth/passkeys/login/options", {"email": unknown})[1]["public_key"][
        "allowCredentials"]
    decoy = decoy_ids[0]["id"]

    def attempt(kind):
        address, credential = (email, b64u(credential_id)) if kind == "real" else (unknown, decoy)
        status, opts, _ = call(base, "POST", "/v1/auth/passkeys/login/options", {"email": address})
        assert status == 200, opts
        client = json.dumps({"type": "webauthn.get", "challenge": opts["public_key"]["challenge"],
                             "origin": origin, "crossOrigin": False}, separators=(",", ":")).encode()
        data = rp_hash + bytes([0x05]) + (7).to_bytes(4, "big")
        wrong = key.sign(b"not the signed data", ec.ECDSA(__import__("cryptography.hazmat.primitives.hashes",
                                                                      fromlist=["SHA256"]).SHA256()))
        status, body, elapsed = call(base, "POST", "/v1/auth/passkeys/login/verify", {
            "challenge_id": opts["challenge_id"],
            "credential": {"id": credential, "rawId": credential, "type": "public-key",
                           "response": {"clientDataJSON": b64u(client), "authenticatorData": b64u(data),
                                        "signature": b64u(wrong)}, "clientExtensionResults": {}}})
        assert status == 401, (status, body)
        return elapsed * 1000

    order = ["real"] * n + ["decoy"] * n
    random.shuffle(order)
    # Warm-up (JIT), not counted.
    for kind in ["real", "decoy"] * 3:
        attempt(kind)
        time.sleep(2.1)
    times = {"real": [], "decoy": []}
    for kind in order:
        times[kind].append(attempt(kind))
        time.sleep(2.1)  # 30 verify calls a minute per IP
    real, fake = times["real"], times["decoy"]
    mr, md = statistics.mean(real), statistics.mean(fake)
    sr, sd = statistics.stdev(real), statistics.stdev(fake)
    z = (mr - md) / ((sr ** 2 / len(real) + sd ** 2 / len(fake)) ** 0.5)
    print(json.dumps({"n": n, "real_ms": {"mean": round(mr, 2), "sd": round(sr, 2), "median": round(
        statistics.median(real), 2)}, "decoy_ms": {"mean": round(md, 2), "sd": round(sd, 2), "median": round(
        statistics.median(fake), 2)}, "difference_ms": round(mr - md, 2), "z": round(z, 2)}))


if __name__ == "__main__":
    main()
