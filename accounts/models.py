"""Users, agencies (a tree of administrative units) and the roles staff hold in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, tổ chức")
    OFFICER = "officer", _("Cán bộ Bộ phận Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo phê duyệt")
    ADMIN = "admin", _("Quản trị hệ thống")


STAFF_ROLES = (Role.OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN)


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    UNIT = "unit", _("Đơn vị trực thuộc")


class Agency(models.Model):
    """An administrative unit. Levels are data (a parent link), not hard-coded tiers."""

    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("cơ quan cấp trên"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # QĐ 20/2020/QĐ-TTg e-ID code, written left to right from level 1, e.g. "H54.15.31".
    eid_code = models.CharField(_("mã định danh điện tử"), max_length=35, unique=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # The head who signs the papers the agency itself issues (the e-result, Mẫu 04 apology, Mẫu 05 stop
    # notice, the not-eligible notice): Circular 03/2025 has them signed by the head of the competent
    # agency, whoever clicked the button. A commune writes "Chủ tịch" and the chairperson's name.
    head_title = models.CharField(
        _("chức danh người đứng đầu"), max_length=100, blank=True,
        help_text=_("In ở khối chữ ký của kết quả và các văn bản do cơ quan ban hành, ví dụ: Chủ tịch."),
    )
    head_name = models.CharField(
        _("họ tên người đứng đầu"), max_length=150, blank=True,
        help_text=_("Người ký kết quả giải quyết, văn bản xin lỗi, thông báo dừng giải quyết hồ sơ."),
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["eid_code"]

    def __str__(self) -> str:
        return self.name

    @property
    def code_levels(self) -> list[str]:
        return self.eid_code.split(".")

    def legacy_code(self) -> str:
        """The QCVN 102 code written from level 4 down to level 1, zero-filled (Circular 01/2018 Art 19).

        "H54.15.31" → "000.31.15.H54".
        """
        levels = self.code_levels
        widths = [None, 2, 2, 3]  # level 1 keeps its letters; levels 2–4 are zero-filled numbers
        padded = [levels[0]] + [
            (levels[i] if i < len(levels) else "").zfill(widths[i]) for i in range(1, 4)
        ]
        return ".".join(reversed(padded))


class UserManager(DjangoUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a citizen, or a member of an agency's staff.

    Citizens sign in with an email or a phone number (stand-alone mode). `oidc_subject`
    keeps room for VNeID / national-portal SSO, which identifies people by a subject id.
    """

    email = models.EmailField(_("thư điện tử"), unique=True, null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, unique=True, null=True, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.CITIZEN, db_index=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # Identity details typed once and reused on every filing (Công văn 159/TTg-CDS: do not ask
    # again for what the state already holds). With VNeID SSO they come from the identity provider;
    # `identity_verified_at` is then set and the citizen can no longer edit them.
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True, null=True, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    # {"province": …, "commune": …, "detail": …}, the shape of an e-form address answer.
    permanent_address = models.JSONField(_("nơi thường trú"), default=dict, blank=True)
    identity_verified_at = models.DateTimeField(_("xác thực danh tính lúc"), null=True, blank=True)
    # From the identity provider only: the sex claim, and the assurance level of the e-identity
    # account last used to sign in (VNeID level 2 = identity verified in person or by chip).
    sex = models.CharField(_("giới tính"), max_length=6, choices=[("male", _("Nam")), ("female", _("Nữ"))],
                           blank=True)
    identity_level = models.PositiveSmallIntegerField(_("mức độ tài khoản định danh điện tử"), null=True, blank=True)
    preferred_language = models.CharField(
        _("ngôn ngữ"), max_length=5, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )
    oidc_subject = models.CharField(_("định danh SSO"), max_length=255, unique=True, null=True, blank=True)
    is_staff = models.BooleanField(_("vào trang quản trị"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    date_joined = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False) | Q(oidc_subject__isnull=False),
                name="user_has_login_identifier",
            ),
            models.CheckConstraint(
                condition=Q(role="citizen") | Q(role="admin") | Q(agency__isnull=False),
                name="staff_user_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""

    @property
    def is_agency_staff(self) -> bool:
        return self.role in (Role.OFFICER, Role.SPECIALIST, Role.LEADER) and self.agency_id is not None


# The e-identity link lives in its own module (accounts/identity/); importing it registers the model.
from accounts.identity.models import IdentityLink, ProviderMfaDevice  # noqa: E402,F401
