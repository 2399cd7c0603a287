"""Keys on a PKCS#11 token or HSM (the usual form of a Vietnamese agency's certificate).

Tokens allow one session at a time: the documents queue runs one worker per token. Any failure to
reach the token is `KeyUnavailable` (retried); the key is looked up by its label, and the
certificate by the same label.
"""

from __future__ import annotations

from pyhanko.sign import pkcs11 as hanko_pkcs11
from pyhanko.sign.signers import Signer

from django.utils.translation import gettext as _

from vault.errors import KeyUnavailable
from vault.models import SigningKey


def signer_open(key: SigningKey, *, pin: str) -> Signer:
    try:
        session = hanko_pkcs11.open_pkcs11_session(
            key.pkcs11_module, token_criteria=hanko_pkcs11.TokenCriteria(label=key.token_label), user_pin=pin,
        )
        # Hash here and let the token do only the raw RSA/ECDSA operation: every token supports that,
        # many do not offer the combined hash-and-sign mechanisms (SoftHSM has no CKM_ECDSA_SHA256).
        signer = hanko_pkcs11.PKCS11Signer(
            session, key_label=key.key_label, cert_label=key.key_label, use_raw_mechanism=True,
        )
        # Fetch the certificate now, so a missing object fails here and not halfway through a signature.
        _cert = signer.signing_cert
        return signer
    except Exception as exc:  # the module, the slot, the login or the object lookup
        raise KeyUnavailable(
            _("Không kết nối được thiết bị ký số (PKCS#11) %(label)s: sẽ thử lại.") % {"label": key.token_label}
        ) from exc
