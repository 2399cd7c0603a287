"""Demo certificates for every agency and leader, so development signs offline (DEBUG only)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import Agency, Role, User
from vault import pki
from vault.models import KeyBackend, KeyPurpose, SigningKey


def demo_keys_install(*, directory: Path | None = None, crl_url: str | None = None) -> int:
    """Create the demo CA (if missing) and a demo key for each agency's one-stop shop and seal and for
    each leader without an active key. Returns how many keys were added; safe to run twice."""
    directory = Path(directory or settings.VAULT_DEMO_DIR)
    ca = pki.demo_ca_create(directory, crl_url=crl_url or settings.SITE_URL + pki.CRL_PATH)
    added = 0
    for agency in Agency.objects.filter(is_active=True).order_by("pk"):
        for purpose, label in ((KeyPurpose.ONE_STOP, "Bộ phận Một cửa"), (KeyPurpose.SEAL, "")):
            if SigningKey.objects.filter(agency=agency, purpose=purpose, is_active=True, user=None).exists():
                continue
            name = f"{label} {agency.name}".strip() if label else agency.name
            _install(ca, agency=agency, user=None, purpose=purpose, common_name=name, title="")
            added += 1
    leaders = User.objects.filter(role=Role.LEADER, is_active=True, agency__isnull=False).select_related("agency")
    for leader in leaders:
        if SigningKey.objects.filter(user=leader, is_active=True).exists():
            continue
        _install(ca, agency=leader.agency, user=leader, purpose=KeyPurpose.PERSONAL,
                 common_name=leader.full_name, title=leader.agency.head_title or "Lãnh đạo")
        added += 1
    return added


@transaction.atomic
def _install(ca: pki.DemoCA, *, agency: Agency, user: User | None, purpose: str, common_name: str,
             title: str) -> SigningKey:
    stem = f"{purpose}-{user.pk}" if user else f"{purpose}-agency-{agency.pk}"
    path = pki.certificate_issue(ca, file_stem=stem, common_name=common_name, organization=agency.name)
    return SigningKey.objects.create(
        purpose=purpose, agency=agency, user=user, backend=KeyBackend.PKCS12, pkcs12_path=str(path),
        secret_file=str(ca.password_file), signer_name=common_name, signer_title=title or agency.name,
        is_demo=True,
    )


def seed() -> list[str]:
    """`seed_demo`: demo certificates, in development only (they have no legal value)."""
    if not settings.DEBUG:
        return []
    added = demo_keys_install()
    return [f"chứng thư số thử nghiệm ({pki.DEMO_MARK}): {added}"] if added else []
