"""Vietnamese addresses after the 2025 reorganisation: province (34) → commune → street."""

from __future__ import annotations

# The 34 provinces and centrally-run cities after the 2025 merger (Resolution 202/2025/QH15).
PROVINCES: tuple[str, ...] = (
    "Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "TP Hồ Chí Minh", "Cần Thơ",
    "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
    "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh",
    "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)
