"""The sandbox identity provider keeps its signing keys in the shared cache: a token signed by one web
process verifies against the JWKS another process serves (several gunicorn workers or nodes)."""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from django.core.cache import cache

from sandbox import idp


def test_a_process_uses_the_key_another_process_stored():
    elsewhere = RSAKey.generate_key(2048, parameters={"kid": "sbx-1", "use": "sig", "alg": "RS256"})
    idp.key("sbx-1")  # this process had made and remembered one of its own
    cache.set("sandbox-idp:key:sbx-1", elsewhere.as_dict(private=True), timeout=None)  # another process's, shared

    token = jwt.encode({"alg": "RS256", "kid": "sbx-1"}, {"sub": "x"}, idp.key("sbx-1"))

    assert jwt.decode(token, elsewhere).claims == {"sub": "x"}
    assert idp.jwks() == KeySet([elsewhere]).as_dict(private=False)


def test_a_rotation_seen_by_one_process_is_published_by_all():
    assert [entry["kid"] for entry in idp.jwks()["keys"]] == ["sbx-1"]
    idp.id_token(issuer="http://127.0.0.1/sandbox/idp", client_id="portal", grant={
        "scenario": "rotated_key", "sub": idp.PEOPLE[0]["sub"], "nonce": "n", "sid": "s"})
    idp._keys.clear()  # a process that never signed with the new key
    assert [entry["kid"] for entry in idp.jwks()["keys"]] == ["sbx-1", "sbx-2"]
