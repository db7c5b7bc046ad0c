#!/usr/bin/env python3
"""Validates Latchkey's OAuth metadata the way a Python client library does: fetches
<issuer>/.well-known/oauth-authorization-server and runs authlib's RFC 8414 validation
(AuthorizationServerMetadata.validate(), every member) on it; checks that the document names this issuer and
that /.well-known/openid-configuration answers 404 (Latchkey is not an OpenID Provider yet).

    python3 tools/metadata/validate_authlib.py http://localhost:3000

Needs authlib (Debian: apt-get install python3-authlib). authlib accepts http only for http://localhost:…;
other plain-http issuers need AUTHLIB_INSECURE_TRANSPORT=1. Prints the document and exits 0 when valid; prints
the reason and exits 1 otherwise.
"""
import json
import sys
import urllib.error
import urllib.request

from authlib.oauth2.rfc8414 import AuthorizationServerMetadata


def fail(reason):
    print(f"invalid: {reason}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        print("usage: validate_authlib.py <issuer>", file=sys.stderr)
        sys.exit(2)
    issuer = sys.argv[1]
    with urllib.request.urlopen(issuer + "/.well-known/oauth-authorization-server", timeout=30) as response:
        document = json.load(response)
    metadata = AuthorizationServerMetadata(document)
    try:
        metadata.validate()
    except ValueError as e:
        fail(str(e))
    if document.get("issuer") != issuer:
        fail(f"issuer {document.get('issuer')!r} is not {issuer!r} (RFC 8414 §3.3)")
    empty = [name for name, value in document.items() if value in ([], "", None)]
    if empty:
        fail(f"empty members {empty}")
    try:
        urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=30)
        fail("/.well-known/openid-configuration answered, but Latchkey is not an OpenID Provider")
    except urllib.error.HTTPError as e:
        if e.code != 404:
            fail(f"/.well-known/openid-configuration answered {e.code}, not 404")
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
