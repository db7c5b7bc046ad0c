#!/usr/bin/env python3
"""Validates Latchkey's OAuth metadata the way a Python client library does: fetches
<issuer>/.well-known/oauth-authorization-server and runs authlib's RFC 8414 validation
(AuthorizationServerMetadata.validate(), every member) on it; fetches <issuer>/.well-known/openid-configuration and
runs authlib's OpenID Connect Discovery validation (OpenIDProviderMetadata.validate()) on it; checks that both name
this issuer, have no empty member, and that every RFC 8414 member has the same value in both documents.

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
from authlib.oidc.discovery import OpenIDProviderMetadata


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
        with urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=30) as response:
            openid = json.load(response)
    except urllib.error.HTTPError as e:
        fail(f"/.well-known/openid-configuration answered {e.code}")
    try:
        OpenIDProviderMetadata(openid).validate()
    except ValueError as e:
        fail(f"openid-configuration: {e}")
    if openid.get("issuer") != issuer:
        fail(f"openid-configuration issuer {openid.get('issuer')!r} is not {issuer!r} (Discovery §4.3)")
    empty = [name for name, value in openid.items() if value in ([], "", None)]
    if empty:
        fail(f"openid-configuration: empty members {empty}")
    differ = [name for name, value in document.items() if openid.get(name) != value]
    if differ:
        fail(f"members of both documents with different values: {differ}")
    print(json.dumps(document, indent=2))
    print(json.dumps(openid, indent=2))


if __name__ == "__main__":
    main()
