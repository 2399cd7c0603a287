"""Who a verified e-identity is on the portal: find, link or create the citizen's account."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identity.client import IdentityRefused, Provider
from accounts.identity.models import IdentityLink, ProviderMfaDevice
from accounts.models import STAFF_ROLES, Role, User
from accounts.phone import looks_like_phone, normalize_phone
from accounts.roles import user_set_role
from portal.lib.idnumber import validate_id_number

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the provider vouches for. Only id_number and full_name are required: a missing optional
    claim leaves the profile's value as it is."""

    subject: str
    id_number: str
    full_name: str
    date_of_birth: date | None
    sex: str
    phone: str | None
    permanent_address: dict[str, str]
    level: int


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _birthdate(value: Any) -> date | None:
    try:
        born = date.fromisoformat(_text(value))
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= timezone.localdate() else None


def _sex(value: Any) -> str:
    raw = _text(value).lower()
    return {"male": "male", "nam": "male", "m": "male", "female": "female", "nữ": "female", "f": "female"}.get(raw, "")


def _address(value: Any) -> dict[str, str]:
    """An OIDC address claim ({region, locality, street_address} or formatted) in the e-form's shape."""
    if isinstance(value, str):
        value = {"formatted": value}
    if not isinstance(value, dict):
        return {}
    parts = {"province": _text(value.get("region")), "commune": _text(value.get("locality")),
             "detail": _text(value.get("street_address"))}
    if not any(parts.values()) and _text(value.get("formatted")):
        parts["detail"] = _text(value.get("formatted"))
    return parts if any(parts.values()) else {}


def identity_from_claims(provider: Provider, claims: dict[str, Any], *, level: int) -> VerifiedIdentity:
    names = provider.claims
    try:
        id_number = validate_id_number(_text(claims.get(names["id_number"])))
    except ValidationError as exc:
        # No number, or not a valid one: the identity cannot be matched to anyone, so no account.
        raise IdentityRefused(_("Hệ thống định danh không trả về số định danh cá nhân hợp lệ, nên không thể "
                                "đăng nhập. Vui lòng thử lại sau."), "missing_id_number") from exc
    full_name = _text(claims.get(names["full_name"]))[:150]
    if not full_name:
        raise IdentityRefused(_("Hệ thống định danh không trả về họ và tên công dân."), "missing_name")
    phone = _text(claims.get(names["phone"]))
    return VerifiedIdentity(
        subject=str(claims["sub"]), id_number=id_number, full_name=full_name,
        date_of_birth=_birthdate(claims.get(names["birthdate"])), sex=_sex(claims.get(names["gender"])),
        phone=normalize_phone(phone) if phone and looks_like_phone(phone) else None,
        permanent_address=_address(claims.get(names["address"])), level=level,
    )


def _apply(user: User, identity: VerifiedIdentity) -> None:
    now = timezone.now()
    user.full_name = identity.full_name
    user.id_number = identity.id_number
    if identity.date_of_birth:
        user.date_of_birth = identity.date_of_birth
    if identity.sex:
        user.sex = identity.sex
    if identity.permanent_address:
        user.permanent_address = identity.permanent_address
    # The phone is a sign-in name too: taken only when no other account uses it (never a silent merge).
    if identity.phone and not user.phone and not User.objects.filter(phone=identity.phone).exclude(pk=user.pk).exists():
        user.phone = identity.phone
    user.identity_verified_at = now
    user.identity_level = identity.level
    user.last_login = now


@transaction.atomic
def citizen_identity_sign_in(*, provider: Provider, identity: VerifiedIdentity) -> User:
    """The account for a verified identity: the one linked to this subject; else the password account
    whose ID number matches (linked now); else a new citizen account. Raises IdentityRefused when the
    number belongs to an account that cannot be linked (staff) or the account is switched off."""
    link = (IdentityLink.objects.select_for_update().select_related("user")
            .filter(provider=provider.name, subject=identity.subject).first())
    if link is not None:
        user = User.objects.select_for_update().get(pk=link.user_id)
        if user.id_number and user.id_number != identity.id_number:
            logger.warning("oidc %s: subject of account %s now carries another ID number", provider.name, user.pk)
            raise IdentityRefused(_("Thông tin định danh không khớp với tài khoản đã liên kết. Vui lòng liên hệ "
                                    "Bộ phận Một cửa để được hỗ trợ."), "subject_mismatch")
    else:
        user = User.objects.select_for_update().filter(id_number=identity.id_number).first()
        if user is None:
            user = User(oidc_subject=f"{provider.name}:{identity.subject}"[:255], role=Role.CITIZEN)
            user.set_unusable_password()
    if user.pk is not None and user.role != Role.CITIZEN:
        raise IdentityRefused(_("Số định danh này gắn với một tài khoản cán bộ, không đăng nhập bằng VNeID tại "
                                "đây. Vui lòng liên hệ quản trị hệ thống."), "staff_account")
    if not user.is_active:
        raise IdentityRefused(_("Tài khoản của bạn đang bị khóa. Vui lòng liên hệ Bộ phận Một cửa."), "inactive")
    is_new = user.pk is None
    _apply(user, identity)
    try:
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        logger.warning("oidc %s: claims do not fit the account: %s", provider.name, sorted(exc.message_dict))
        raise IdentityRefused(_("Thông tin từ hệ thống định danh không hợp lệ. Vui lòng liên hệ Bộ phận Một cửa."),
                              "invalid_claims") from exc
    user.save()
    if is_new:
        user_set_role(user, Role.CITIZEN)
    IdentityLink.objects.update_or_create(
        provider=provider.name, user=user,
        defaults={"subject": identity.subject, "assurance_level": identity.level, "last_sign_in_at": user.last_login},
    )
    return user


# --- Staff: an agency provider says who signs in; the portal decides what they may do -----------------


def staff_identity_match(*, provider: Provider, claims: dict[str, Any]) -> User:
    """The EXISTING active staff account whose match field equals the provider's match claim.

    Never creates an account and never reads a role, an agency or a permission from the claims: those
    are granted in the portal by its administrators only."""
    field_name, claim = provider.extra["match_field"], provider.extra["match_claim"]
    value = _text(claims.get(claim))
    if claims.get(f"{claim}_verified") is False:
        # The provider itself says the address (or phone) was never verified: anyone could have typed it.
        logger.warning("staff oidc %s: %s not verified for subject %s", provider.name, claim, str(claims.get("sub"))[:64])
        raise IdentityRefused(_("Hệ thống định danh cơ quan chưa xác minh thông tin dùng để nhận diện tài khoản "
                                "của bạn. Vui lòng liên hệ quản trị hệ thống."), "unverified_match_claim")
    if field_name == "phone":
        value = normalize_phone(value) if value and looks_like_phone(value) else ""
    lookup = {"email__iexact": value} if field_name == "email" else {"phone": value}
    user = User.objects.filter(**lookup).first() if value else None
    if user is None:
        logger.warning("staff oidc %s: no account for subject %s", provider.name, str(claims.get("sub"))[:64])
        raise IdentityRefused(_("Tài khoản của bạn tại hệ thống định danh cơ quan chưa được gắn với tài khoản cán bộ "
                                "nào trên Cổng. Vui lòng đề nghị quản trị hệ thống tạo tài khoản cán bộ cho bạn."),
                              "unknown_staff")
    if user.role not in STAFF_ROLES and not user.is_staff:
        logger.warning("staff oidc %s: subject matched non-staff account %s", provider.name, user.pk)
        raise IdentityRefused(_("Tài khoản này không phải tài khoản cán bộ. Công dân vui lòng đăng nhập bằng VNeID."),
                              "not_staff")
    if not user.is_active:
        raise IdentityRefused(_("Tài khoản cán bộ của bạn đang bị khóa. Vui lòng liên hệ quản trị hệ thống."),
                              "inactive")
    return user


def provider_mfa_proven(*, provider: Provider, claims: dict[str, Any]) -> bool:
    """The provider enforces a second factor (a setting, never a claim) and its amr/acr show one was used."""
    extra = provider.extra
    if not extra.get("enforces_mfa"):
        return False
    amr = claims.get("amr")
    methods = {value for value in amr if isinstance(value, str)} if isinstance(amr, list) else set()
    return bool(methods & set(extra.get("mfa_amr", []))) or claims.get("acr") in extra.get("mfa_acr", [])


def provider_mfa_device(*, user: User, provider: Provider) -> ProviderMfaDevice:
    device, _created = ProviderMfaDevice.objects.get_or_create(
        user=user, provider=provider.name, defaults={"name": str(provider.label)[:64], "confirmed": True})
    return device
