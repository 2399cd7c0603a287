"""A VNPay API 2.1.0 signature example (self-computed with a dummy secret), to the character and to the hex digit."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from payments.providers.vnpay import (
    amount_from_vnp,
    ascii_order_info,
    signature_matches,
    vnp_datetime,
    vnp_sign,
    vnp_signed_string,
    vnp_verify,
)

SECRET = "TESTSECRETKEY1234567890ABCDEFGHI"

PAYMENT = {
    "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "DEMO0001", "vnp_Amount": "5000000",
    "vnp_CurrCode": "VND", "vnp_TxnRef": "HS2601050007", "vnp_OrderInfo": "Thanh toan le phi ho so HS2601050007",
    "vnp_OrderType": "other", "vnp_Locale": "vn", "vnp_ReturnUrl": "https://dvc.example.vn/payment/vnpay/return",
    "vnp_IpAddr": "203.0.113.5", "vnp_CreateDate": "20260105101500", "vnp_ExpireDate": "20260105103000",
}
PAYMENT_STRING = (
    "vnp_Amount=5000000&vnp_Command=pay&vnp_CreateDate=20260105101500&vnp_CurrCode=VND&vnp_ExpireDate=20260105103000"
    "&vnp_IpAddr=203.0.113.5&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+HS2601050007&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdvc.example.vn%2Fpayment%2Fvnpay%2Freturn&vnp_TmnCode=DEMO0001"
    "&vnp_TxnRef=HS2601050007&vnp_Version=2.1.0"
)
PAYMENT_HASH = (
    "30a8b602cec7b291501035dbda0a130521d9645073ebc6e3e419c0ff86304030"
    "156affb8425e8a5a250e945ce02e171b3123aa34c73351d566f4f1aae3c14234"
)
RESULT_STRING = (
    "vnp_Amount=5000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14812345&vnp_CardType=ATM"
    "&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+HS2601050007&vnp_PayDate=20260105102030&vnp_ResponseCode=00"
    "&vnp_TmnCode=DEMO0001&vnp_TransactionNo=14812345&vnp_TransactionStatus=00&vnp_TxnRef=HS2601050007"
)
RESULT_HASH = (
    "9480e5bf67271e538919ad42f4284001cbfd8a78d3c6867391a7fd7ab934a7ea"
    "fb2974c0eb1a0b623f6d51c152332167cb08762441aa0d749670623f9acb30d4"
)


def test_the_payment_request_signs_exactly_the_worked_example():
    assert vnp_signed_string(PAYMENT) == PAYMENT_STRING
    assert vnp_sign(PAYMENT, SECRET) == PAYMENT_HASH


def test_the_ipn_verification_signs_exactly_the_worked_example():
    result = dict(parse_qsl(RESULT_STRING))
    assert vnp_signed_string(result) == RESULT_STRING
    assert vnp_sign(result, SECRET) == RESULT_HASH


def test_verification_ignores_hash_fields_and_empty_values_and_accepts_upper_case():
    result = dict(parse_qsl(RESULT_STRING))
    result.update(vnp_SecureHash=RESULT_HASH.upper(), vnp_SecureHashType="HmacSHA512", vnp_Empty="", other="x")
    assert vnp_verify(result, SECRET)


def test_a_changed_amount_or_secret_breaks_the_signature():
    result = dict(parse_qsl(RESULT_STRING), vnp_SecureHash=RESULT_HASH)
    assert not vnp_verify({**result, "vnp_Amount": "500000"}, SECRET)
    assert not vnp_verify(result, SECRET + "x")
    assert not signature_matches(RESULT_HASH, "")
    assert not signature_matches(RESULT_HASH, None)


def test_dates_are_written_in_gmt7_whatever_the_input_zone():
    moment = datetime(2026, 1, 5, 3, 15, tzinfo=ZoneInfo("UTC"))
    assert vnp_datetime(moment) == "20260105101500"


def test_order_info_is_ascii_without_diacritics():
    assert ascii_order_info("Thanh toán lệ phí hồ sơ Đăng ký: 000.01.01.H99-260105-0007!") == (
        "Thanh toan le phi ho so Dang ky 000.01.01.H99-260105-0007"
    )


def test_vnp_amount_is_dong_times_one_hundred():
    assert amount_from_vnp("5000000") == 50_000
    assert amount_from_vnp("5000050") is None
    assert amount_from_vnp("abc") is None
    assert amount_from_vnp("-100") is None
