"""Why a signature could not be made. `message` is Vietnamese, for the officer; `permanent` says
whether retrying can help."""

from __future__ import annotations


class SigningError(Exception):
    """Signing refused or impossible. `message` is Vietnamese, for the officer."""

    permanent = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoSigningKey(SigningError):
    pass


class CertificateExpired(SigningError):
    pass


class CertificateRevoked(SigningError):
    pass


class CertificateUntrusted(SigningError):
    pass


class KeyMismatch(SigningError):
    pass


class NotAPdf(SigningError):
    pass


class KeyUnavailable(SigningError):
    """The token, HSM, key file or timestamp server cannot be reached now: retry later."""

    permanent = False
