"""The 12-digit personal identification number (số định danh cá nhân), Law on Identification
2023 Art 12.

Structure `PPP G YY RRRRRR`: PPP is the province where the birth was registered, G encodes
the century of birth and the sex, YY is the year of birth within the century, the rest is random.
Only the format and the province table are errors; a G/YY digit that disagrees with a date of
birth is a warning (people mistype dates more often than the state mistypes IDs).

The number is personal data: never log it, never put it in a URL, mask it in lists.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_TWELVE_DIGITS = re.compile(r"^\d{12}$")
_SEPARATORS = re.compile(r"[\s.\-]")

# The 63 pre-2025 provinces. Numbers issued before the 2025 merger keep their prefix.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa – Vũng Tàu",
    "079": "TP Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

def century_start(g_digit: int) -> int:
    """G digit → first year of the century: 0/1 = 1900s, 2/3 = 2000s, … (the parity is the sex)."""
    return 1900 + 100 * (g_digit // 2)


def id_number_birth_year(number: str) -> int:
    return century_start(int(number[3])) + int(number[4:6])


def normalize_id_number(raw: str | None) -> str:
    """Spaces, dots and dashes people type between digit groups are dropped."""
    return _SEPARATORS.sub("", raw or "")


def validate_id_number(raw: str | None) -> str:
    """The normalised number, or ValidationError with a Vietnamese message. The message never
    repeats the number (it may end up in a log)."""
    number = normalize_id_number(raw)
    if not _TWELVE_DIGITS.match(number):
        raise ValidationError(
            gettext_lazy("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="id_number_format"
        )
    if number[:3] not in PROVINCE_CODES:
        raise ValidationError(
            gettext_lazy("Ba chữ số đầu của số định danh không phải mã tỉnh, thành phố nơi đăng ký khai sinh."),
            code="id_number_province",
        )
    return number


def id_number_warnings(number: str, birth_date: date | None) -> list[str]:
    """Soft checks of a valid number against a date of birth: the person may still file."""
    if not birth_date or not _TWELVE_DIGITS.match(number or ""):
        return []
    year = id_number_birth_year(number)
    if year == birth_date.year:
        return []
    return [
        _(
            "Số định danh cho biết năm sinh {id_year}, khác với ngày sinh đã khai ({birth_year}). "
            "Vui lòng kiểm tra lại số định danh hoặc ngày sinh."
        ).format(id_year=year, birth_year=birth_date.year)
    ]


def mask_id_number(number: str | None) -> str:
    """Only the last three digits stay visible: "•••••••••999"."""
    if not number:
        return ""
    return "•" * max(len(number) - 3, 0) + number[-3:]
