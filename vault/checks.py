"""Deploy check: demo certificates have no legal value and must not sign in production."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from vault import pki


@register(Tags.security, deploy=True)
def demo_certificates_refused(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    from vault.models import SigningKey

    errors = []
    try:
        demo_keys = SigningKey.objects.filter(is_active=True, is_demo=True).count()
    except DatabaseError:  # tables not migrated yet
        demo_keys = 0
    if demo_keys:
        errors.append(Error(
            f"{demo_keys} active signing key(s) were issued by the demo CA ({pki.DEMO_MARK}).",
            hint="Deactivate them and configure the agencies' real certificates.", id="vault.E001",
        ))
    if settings.VAULT_TRUST_DEMO_CA:
        errors.append(Error(
            "VAULT_TRUST_DEMO_CA is on: signatures by the demo CA would be reported as trusted.",
            hint="Unset VAULT_TRUST_DEMO_CA in production.", id="vault.E004",
        ))
    for root in settings.VAULT_TRUST_ROOTS:
        try:
            names = pki.certificate_subjects(root)
        except (OSError, ValueError):
            errors.append(Error(f"Trust root {root} cannot be read.", id="vault.E002"))
            continue
        if any(pki.DEMO_MARK in name for name in names):
            errors.append(Error(f"Trust root {root} is the demo CA.", id="vault.E003"))
    return errors
