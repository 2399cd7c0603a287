"""PAdES signing and signature validation.

`sign_pdf` is synchronous and either returns a fully signed PDF or raises a `SigningError`; it
never returns a half-signed file. Callers (the document worker, counter digitisation) decide
what a failure means for their rows: `SigningError.permanent` says whether retrying can help.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from fontTools import subset, ttLib
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from vault import pkcs11
from vault.errors import (
    CertificateExpired,
    CertificateRevoked,
    CertificateUntrusted,
    KeyMismatch,
    KeyUnavailable,
    NoSigningKey,
    NotAPdf,
    SigningError,
)
from vault.models import KeyBackend, KeyPurpose, SigningKey

logger = logging.getLogger(__name__)

__all__ = [
    "CertificateExpired", "CertificateRevoked", "CertificateUntrusted", "KeyMismatch", "KeyUnavailable",
    "NoSigningKey", "NotAPdf", "Purpose", "SignatureReport", "SigningError", "pdf_signatures_validate", "sign_pdf",
    "signing_configured", "signing_key_check", "signing_key_for",
]

REVOCATION_TIMEOUT_SECONDS = 5  # per CRL/OCSP request; an unreachable CA must not hold a worker long


class Purpose:
    """What is being signed, which decides whose certificate signs it."""

    RESULT = "result"  # the e-result and papers the agency issues: the approving leader or the seal
    SLIP = "slip"  # receipts, slips (Mẫu 01–05), fee receipts: the one-stop shop
    DIGITISED = "digitised"  # a scan certified at the counter (Circular 01/2023 Art 8): the one-stop shop


# --- Which key ------------------------------------------------------------------------------


def signing_configured(*, agency: Agency) -> bool:
    """An agency signs its papers once it has an active key; before that they are issued unsigned
    and say so."""
    return SigningKey.objects.filter(agency=agency, is_active=True).exists()


def signing_key_for(*, agency: Agency, signer: User | None, purpose: str) -> SigningKey:
    """The active key that signs `purpose` for `agency`: for a result, the agency's seal when it signs
    results, else the approving leader's own key, else the seal; otherwise the one-stop shop's key."""
    keys = SigningKey.objects.filter(agency=agency, is_active=True)
    if purpose == Purpose.RESULT:
        seal = keys.filter(purpose=KeyPurpose.SEAL).order_by("-sign_results").first()
        if seal is not None and seal.sign_results:
            return seal
        if signer is not None:
            personal = keys.filter(user=signer, purpose=KeyPurpose.PERSONAL).first()
            if personal is not None:
                return personal
        if seal is not None:
            return seal
        raise NoSigningKey(_("Chưa cấu hình chứng thư số cho người ký %(name)s.") % {
            "name": signer.full_name if signer else agency.name})
    key = keys.filter(purpose=KeyPurpose.ONE_STOP).first()
    if key is None:
        raise NoSigningKey(_("Chưa cấu hình chứng thư số của Bộ phận Một cửa %(agency)s.") % {"agency": agency.name})
    return key


def _secret(key: SigningKey) -> str:
    if key.secret_env and os.environ.get(key.secret_env):
        return os.environ[key.secret_env]
    if key.secret_file:
        try:
            return Path(key.secret_file).read_text().strip()
        except OSError as exc:
            raise KeyUnavailable(_("Không đọc được tệp mật khẩu của khóa ký số.")) from exc
    raise SigningError(_("Chưa cấu hình mật khẩu/PIN của khóa ký số (biến môi trường hoặc tệp)."))


def _load_signer(key: SigningKey) -> signers.Signer:
    secret = _secret(key)
    if key.backend == KeyBackend.PKCS12:
        try:
            data = Path(key.pkcs12_path).read_bytes()
        except OSError as exc:
            raise KeyUnavailable(_("Không đọc được tệp chứng thư số.")) from exc
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=secret.encode())
        except ValueError as exc:
            raise SigningError(_("Không mở được tệp chứng thư số: sai mật khẩu hoặc tệp hỏng.")) from exc
        if key.certificate_path:
            try:
                renewed = Path(key.certificate_path).read_bytes()
            except OSError as exc:
                raise KeyUnavailable(_("Không đọc được tệp chứng thư số.")) from exc
            signer = signers.SimpleSigner(
                signing_key=signer.signing_key, signing_cert=_load_certificates(renewed)[0],
                cert_registry=signer.cert_registry,
            )
        return signer
    return pkcs11.signer_open(key, pin=secret)


# --- Trust -------------------------------------------------------------------------------------


def trust_roots() -> list[asn1_x509.Certificate]:
    paths = [Path(p) for p in settings.VAULT_TRUST_ROOTS]
    if settings.VAULT_TRUST_DEMO_CA:
        paths.append(Path(settings.VAULT_DEMO_DIR) / "ca.pem")
    roots = []
    for path in paths:
        if path.exists():
            roots.extend(_load_certificates(path.read_bytes()))
    return roots


def _load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    if data.lstrip().startswith(b"-----"):
        return [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


def validation_context(*, moment: datetime | None = None) -> ValidationContext:
    # requests, not aiohttp: a new event loop per signature would leave aiohttp sessions unclosed.
    return ValidationContext(
        trust_roots=trust_roots(), allow_fetching=settings.VAULT_FETCH_REVOCATION,
        revocation_mode="soft-fail", moment=moment,
        fetcher_backend=RequestsFetcherBackend(per_request_timeout=REVOCATION_TIMEOUT_SECONDS),
    )


def _run(coroutine):  # type: ignore[no-untyped-def]
    """Run one of pyHanko's coroutines to the end from synchronous code.

    asyncio.run() refuses to start in a thread whose event loop is already running (an ASGI worker,
    or a process where Playwright's synchronous API holds one), and pyHanko's synchronous wrappers
    call it: there the coroutine runs on a short-lived thread of its own instead. It touches keys,
    bytes and HTTP (CRLs, the timestamp server), never the database, so the thread needs no connection.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vault-sign") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _check_certificate(signer: signers.Signer, context: ValidationContext) -> None:
    """Refuse an expired, not yet valid, revoked or untrusted signing certificate before signing."""
    validator = CertificateValidator(
        signer.signing_cert, intermediate_certs=list(signer.cert_registry), validation_context=context,
    )
    name = signer.signing_cert.subject.human_friendly
    try:
        _run(validator.async_validate_usage({"non_repudiation"}))
    except RevokedError as exc:
        raise CertificateRevoked(_("Chứng thư số của %(name)s đã bị thu hồi: không thể ký.") % {"name": name}) from exc
    except (ExpiredError, NotYetValidError) as exc:
        raise CertificateExpired(
            _("Chứng thư số của %(name)s đã hết hạn hoặc chưa có hiệu lực: không thể ký.") % {"name": name}
        ) from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise CertificateUntrusted(
            _("Chứng thư số của %(name)s không thuộc tổ chức chứng thực được tin cậy: không thể ký.")
            % {"name": name}
        ) from exc


def signing_key_check(*, agency: Agency, signer: User | None = None, purpose: str) -> SigningKey:
    """Open the key and validate its certificate without signing: lets a leader's approval be refused
    before the dossier moves when the certificate is expired or revoked."""
    key = signing_key_for(agency=agency, signer=signer, purpose=purpose)
    pdf_signer_key = _load_signer(key)
    try:
        _check_certificate(pdf_signer_key, validation_context())
    finally:
        _release(pdf_signer_key)
    return key


# --- Signing -----------------------------------------------------------------------------------

STAMP_BOX = (330, 28, 570, 98)  # bottom right of the last page, clear of the footer


# Latin, Vietnamese letters with their tone marks, punctuation and the đồng sign: the stamp font is
# cut down to these once per process, since loading a whole font costs more than the signature.
STAMP_UNICODES = [
    *range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x324), *range(0x1EA0, 0x1EFA), *range(0x2000, 0x2070),
    0x20AB,
]


@functools.cache
def _stamp_font(path: str) -> str:
    """The path of the cut-down copy of the font at `path` (made once, in the temp folder)."""
    source = Path(path)
    digest = hashlib.sha256(f"{source.resolve()}:{source.stat().st_mtime_ns}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"portal-stamp-font-{digest}.ttf"
    if target.exists():
        return str(target)
    font = ttLib.TTFont(path)
    options = subset.Options()
    options.layout_features = ["ccmp", "locl", "mark", "mkmk", "kern"]  # stacked diacritics, spacing
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODES)
    subsetter.subset(font)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(partial))
    partial.replace(target)  # atomic: two workers making it at once both end with a whole file
    return str(target)


def _stamp_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text="%(label)s %(signer)s\n%(title)s\n%(time_label)s %(time)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(_stamp_font(settings.VAULT_STAMP_FONT)), font_size=9,
        ),
        border_width=1,
    )


def sign_pdf(pdf_bytes: bytes, *, agency: Agency, signer: User | None = None, purpose: str) -> bytes:
    """Sign `pdf_bytes` as PAdES with the key `purpose` calls for; B-LT when revocation data can be
    fetched, timestamped when VAULT_TSA_URL is set. Raises `SigningError` (and subclasses)."""
    try:
        PdfFileReader(BytesIO(pdf_bytes), strict=False).root["/Pages"]
    except Exception as exc:  # pyHanko's PdfReadError, or a truncated file
        raise NotAPdf(_("Tệp không phải PDF hợp lệ: không thể ký.")) from exc
    key = signing_key_for(agency=agency, signer=signer, purpose=purpose)
    pdf_signer_key = _load_signer(key)
    try:
        signed = _sign(pdf_bytes, key=key, pdf_signer_key=pdf_signer_key, agency=agency)
    finally:
        _release(pdf_signer_key)
    _check_signed(signed, key)
    return signed


def _release(pdf_signer_key: signers.Signer) -> None:
    """Close a token's session: tokens allow one at a time."""
    session = getattr(pdf_signer_key, "pkcs11_session", None)
    if session is not None:
        try:
            session.close()
        except Exception:  # the token was pulled out: nothing left to close
            logger.info("PKCS#11 session already gone")


def _sign(pdf_bytes: bytes, *, key: SigningKey, pdf_signer_key: signers.Signer, agency: Agency) -> bytes:
    try:
        context = validation_context()
        _check_certificate(pdf_signer_key, context)
        now = timezone.localtime()
        timestamper = HTTPTimeStamper(settings.VAULT_TSA_URL, timeout=10) if settings.VAULT_TSA_URL else None
        field_name = f"Signature{now.strftime('%Y%m%d%H%M%S%f')}"
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=_("Ký số văn bản điện tử"), location=agency.name[:100],
            embed_validation_info=settings.VAULT_FETCH_REVOCATION, validation_context=context,
        )
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        last_page = int(reader.root["/Pages"]["/Count"]) - 1
        pdf_signer = signers.PdfSigner(
            meta, signer=pdf_signer_key, timestamper=timestamper, stamp_style=_stamp_style(),
            new_field_spec=fields.SigFieldSpec(field_name, on_page=last_page, box=STAMP_BOX),
        )
        out = _run(pdf_signer.async_sign_pdf(
            IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False),
            appearance_text_params={
                "label": _("Ký bởi:"), "signer": key.signer_name, "title": key.signer_title or agency.name,
                "time_label": _("Thời gian ký:"), "time": now.strftime("%H:%M:%S %d/%m/%Y"),
            },
        ))
        signed = out.getvalue()
    except SigningError:
        raise
    except (OSError, PyHankoSigningError) as exc:
        # A timestamp server or CRL endpoint down, a token pulled out mid-signature.
        logger.warning("signing failed for agency %s: %s", agency.pk, exc)
        raise KeyUnavailable(_("Không kết nối được thiết bị ký hoặc máy chủ dấu thời gian: sẽ thử lại.")) from exc
    except Exception as exc:
        logger.warning("signing failed for agency %s: %s", agency.pk, exc)
        raise KeyUnavailable(_("Ký số không thành công: sẽ thử lại.")) from exc
    return signed


def _check_signed(signed: bytes, key: SigningKey) -> None:
    """Read the signature back: a key that does not belong to the certificate yields a signature
    that does not verify, and that file must never leave here."""
    reader = PdfFileReader(BytesIO(signed), strict=False)
    # Integrity is what counts here; no fetching, the chain was checked before signing.
    status = _run(async_validate_pdf_signature(
        reader.embedded_signatures[-1],
        signer_validation_context=ValidationContext(
            trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail",
        ),
    ))
    if not (status.intact and status.valid):
        raise KeyMismatch(
            _("Khóa bí mật không khớp với chứng thư số của %(name)s: không thể ký.") % {"name": key.signer_name}
        )


# --- Validation --------------------------------------------------------------------------------


@dataclass
class SignatureReport:
    signer: str
    organization: str
    signed_at: datetime | None
    timestamped: bool
    intact: bool
    trusted: bool
    revoked: bool
    covers_whole_file: bool
    ltv: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and not self.revoked and self.covers_whole_file


def _subject_field(certificate: asn1_x509.Certificate, field: str) -> str:
    return str(certificate.subject.native.get(field, ""))


def pdf_signatures_validate(pdf_bytes: bytes) -> list[SignatureReport]:
    """Validate every signature in `pdf_bytes`: integrity, chain to the trust roots, revocation where
    reachable, and whether the last signature covers the whole file (nothing added after it)."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        embedded_signatures = reader.embedded_signatures
    except Exception:  # not a PDF, or a broken one
        return []
    reports = []
    for embedded in embedded_signatures:
        try:
            status = _run(async_validate_pdf_signature(embedded, signer_validation_context=validation_context()))
        except Exception as exc:  # a mangled signature dictionary
            logger.info("signature unreadable: %s", exc)
            reports.append(SignatureReport("", "", None, False, False, False, False, False, False))
            continue
        certificate = status.signing_cert
        # Only validation data (PAdES B-LT/LTA) may follow the signature; any other change is tampering.
        covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        )
        reports.append(SignatureReport(
            signer=_subject_field(certificate, "common_name"),
            organization=_subject_field(certificate, "organization_name"),
            signed_at=(status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt),
            timestamped=status.timestamp_validity is not None,
            intact=bool(status.intact and status.valid),
            trusted=bool(status.trusted),
            revoked=bool(status.revoked),
            covers_whole_file=covers,
            ltv="/DSS" in reader.root,
        ))
    return reports


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
