"""Verifies a Latchkey access token with Debian's python3-jwt (PyJWT), unmodified (issue 12 §5).

Usage: /usr/bin/python3 verify_pyjwt.py JWKS_URL TOKEN ISSUER AUDIENCE
Prints the verified claims as JSON and exits 0, or prints the PyJWT error class and message and exits 1.
StandardClientsInteropTest (functions/local) runs it against the local server.
"""
import json
import sys

import jwt


def main(jwks_url, token, issuer, audience):
    signing_key = jwt.PyJWKClient(jwks_url).get_signing_key_from_jwt(token)
    claims = jwt.decode(token, signing_key.key, algorithms=["ES256"], issuer=issuer, audience=audience,
                        options={"require": ["exp", "iat", "iss", "aud", "sub"]})
    print(json.dumps(claims, sort_keys=True))


if __name__ == "__main__":
    try:
        main(*sys.argv[1:5])
    except jwt.PyJWTError as error:
        print(f"{type(error).__name__}: {error}")
        sys.exit(1)
