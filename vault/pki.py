"""The demo certificate authority: a root, its CRL, a timestamping certificate and end-entity
certificates in PKCS#12 files, so the whole journey signs offline in development and tests.

Everything it issues says "DEMO — không có giá trị pháp lý" in its names; the deploy check refuses
such certificates in production. Keys are ECDSA P-256 (fast to make, accepted by pdfsig/NSS).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARK = "DEMO — không có giá trị pháp lý"
CA_NAME = f"CA {DEMO_MARK}"
CRL_PATH = "/sandbox/ca/crl"


@dataclass
class DemoCA:
    directory: Path
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def root_path(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def password_file(self) -> Path:
        return self.directory / "p12-password.txt"

    @property
    def crl_url(self) -> str:
        return (self.directory / "crl-url.txt").read_text().strip()


def _fit(text: str, limit: int = 64) -> str:
    """X.520 caps these names at 64 (cryptography counts UTF-8 bytes; Vietnamese letters take 2–3)."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text.rstrip()


def _name(common_name: str, organization: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organization)))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)))
    return x509.Name(parts)


def _write_private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def demo_ca_load(directory: Path) -> DemoCA | None:
    cert_path, key_path = directory / "ca.pem", directory / "ca-key.pem"
    if not (cert_path.exists() and key_path.exists()):
        return None
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return DemoCA(directory=directory, certificate=certificate, key=key)


def demo_ca_create(directory: Path, *, crl_url: str) -> DemoCA:
    """Make the root (ten years), the TSA certificate and an empty CRL; reuse them if present."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    existing = demo_ca_load(directory)
    if existing is not None:
        return existing
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(CA_NAME, DEMO_MARK)
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(directory / "ca-key.pem", key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (directory / "ca.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "crl-url.txt").write_text(crl_url)
    _write_private(directory / "p12-password.txt", secrets.token_urlsafe(18).encode())
    (directory / "revoked.json").write_text("[]")
    ca = DemoCA(directory=directory, certificate=certificate, key=key)
    _issue_tsa(ca)
    crl_publish(ca)
    return ca


def _end_entity(ca: DemoCA, *, common_name: str, organization: str, key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
                not_before: datetime, not_after: datetime, timestamping: bool = False) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder().subject_name(_name(common_name, organization))
        .issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=not timestamping, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(ca.crl_url)], relative_name=None, reasons=None,
            crl_issuer=None,
        )]), critical=False)
    )
    if timestamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(ca.key, hashes.SHA256())


def _issue_tsa(ca: DemoCA) -> None:
    # RSA: pyHanko's stand-in timestamp authority signs with PKCS#1 v1.5 only.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    certificate = _end_entity(
        ca, common_name=f"TSA {DEMO_MARK}", organization=DEMO_MARK, key=key,
        not_before=now - timedelta(days=1), not_after=now + timedelta(days=3650), timestamping=True,
    )
    _write_private(ca.directory / "tsa-key.pem", key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (ca.directory / "tsa.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def certificate_issue(
    ca: DemoCA, *, file_stem: str, common_name: str, organization: str, valid_days: int = 730,
    not_before: datetime | None = None, not_after: datetime | None = None,
) -> Path:
    """Issue a signing certificate into `<dir>/<file_stem>.p12` (password in p12-password.txt) and
    the certificate alone into `<dir>/<file_stem>.pem`."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = _end_entity(
        ca, common_name=common_name, organization=organization, key=key,
        not_before=not_before or now - timedelta(hours=1), not_after=not_after or now + timedelta(days=valid_days),
    )
    (ca.directory / f"{file_stem}.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    data = pkcs12.serialize_key_and_certificates(
        name=common_name.encode(), key=key, cert=certificate, cas=[ca.certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(ca.password_file.read_bytes()),
    )
    path = ca.directory / f"{file_stem}.p12"
    _write_private(path, data)
    return path


def certificate_revoke(ca: DemoCA, p12_path: Path) -> None:
    _key, certificate, _others = pkcs12.load_key_and_certificates(p12_path.read_bytes(), ca.password_file.read_bytes())
    assert certificate is not None
    revoked = json.loads((ca.directory / "revoked.json").read_text())
    revoked.append(certificate.serial_number)
    (ca.directory / "revoked.json").write_text(json.dumps(revoked))
    crl_publish(ca)


def crl_publish(ca: DemoCA) -> bytes:
    """Re-issue the CRL (valid seven days) listing every revoked serial; written to crl.der."""
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder().issuer_name(ca.certificate.subject)
        .last_update(now - timedelta(minutes=5)).next_update(now + timedelta(days=7))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    for serial in json.loads((ca.directory / "revoked.json").read_text()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now - timedelta(minutes=1)).build()
        )
    data = builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    (ca.directory / "crl.der").write_bytes(data)
    return data


def certificate_subjects(path: str | Path) -> list[str]:
    """The subject names of the certificates in a PEM or DER file."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"-----"):
        certificates = x509.load_pem_x509_certificates(data)
    else:
        certificates = [x509.load_der_x509_certificate(data)]
    return [c.subject.rfc4514_string() for c in certificates]
