from datetime import time

import pytest

from procedures.models import Procedure, ProcedureVersion
from procedures.templatetags.procedure_tags import processing_time_words
from workdays.constants import TimeUnit

pytestmark = pytest.mark.django_db


def _page(client, code):
    response = client.get(f"/procedures/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_partial_process_badge_says_what_must_be_done_in_person(client, catalogue):
    html = _page(client, "1.000894")

    assert "Một phần" in html
    assert "Hai bên nam, nữ phải cùng có mặt tại Bộ phận Một cửa" in html


def test_full_process_badge_says_nothing_needs_a_visit(client, catalogue):
    html = _page(client, "1.004873")

    assert "Toàn trình" in html
    assert "không phải đến cơ quan" in html


def test_same_day_procedure_shows_the_15_hour_cut_off_in_words(client, catalogue):
    html = _page(client, "1.001193")

    assert "Trong ngày; nếu tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo" in html


@pytest.mark.parametrize(("value", "unit", "cutoff", "expected"), [
    (5, TimeUnit.WORKING_DAYS, None, "05 ngày làm việc"),
    (30, TimeUnit.DAYS, None, "30 ngày"),
    (8, TimeUnit.HOURS, None, "08 giờ làm việc"),
    (0, TimeUnit.SAME_DAY, None, "Trong ngày"),
    (0, TimeUnit.SAME_DAY, time(15, 30), "Trong ngày; nếu tiếp nhận sau 15 giờ 30 thì trả kết quả trong ngày làm "
                                          "việc tiếp theo"),
    (3, TimeUnit.WORKING_DAYS, time(15, 0), "03 ngày làm việc; hồ sơ tiếp nhận sau 15 giờ được tính từ ngày làm "
                                            "việc tiếp theo"),
])
def test_processing_time_in_words(value, unit, cutoff, expected):
    version = ProcedureVersion(processing_time_value=value, processing_time_unit=unit, cutoff_time=cutoff)

    assert processing_time_words(version) == expected


def test_fee_table_shows_amounts_in_dong_page_bands_and_cap(client, catalogue):
    html = _page(client, "2.000815")

    assert "2.000 đ (mỗi trang)" in html
    assert "1.000 đ (mỗi trang)" in html
    assert "trang 1–2" in html and "từ trang 3" in html
    assert "tối đa 200.000 đ" in html


def test_exemption_text_is_shown(client, catalogue):
    html = _page(client, "1.001193")

    assert "Miễn lệ phí khi đăng ký khai sinh đúng hạn" in html


def test_fee_table_names_the_channel_of_each_residence_fee_line(client, catalogue):
    html = _page(client, "1.004222")

    assert "Nộp trực tuyến" in html and "Nộp trực tiếp hoặc qua bưu chính" in html


def test_fee_table_says_birth_registration_is_charged_only_when_late(client, catalogue):
    html = _page(client, "1.001193")

    assert "Chỉ thu khi đăng ký quá 60 ngày; đăng ký đúng hạn được miễn" in html


def test_legal_basis_lists_number_date_issuer_and_title(client, catalogue):
    html = _page(client, "2.000884")

    assert "<strong>23/2015/NĐ-CP</strong> ngày 16/02/2015 của Chính phủ" in html
    assert "chứng thực chữ ký và chứng thực hợp đồng, giao dịch" in html


def test_detail_shows_agencies_channels_applicants_components_and_result(client, catalogue):
    html = _page(client, "1.001193")

    assert "UBND xã An Phú" in html and "UBND xã Bình Minh" in html
    assert "Trực tuyến" in html and "Qua dịch vụ bưu chính công ích" in html
    assert "Công dân" in html
    assert "Giấy chứng sinh" in html and "Tải mẫu" in html
    assert "Giấy khai sinh (bản chính)" in html
    assert "Bước 1:" in html


def test_apply_button_links_to_online_filing_only_when_the_channel_is_online(client, catalogue):
    assert 'href="/procedures/1.001193/apply/"' in _page(client, "1.001193")
    on_site_only = _page(client, "1.000419")  # mobile death registration: the officer comes to the family

    assert "/procedures/1.000419/apply/" not in on_site_only
    assert "Thủ tục này không nộp hồ sơ trực tuyến; phải thực hiện trực tiếp." in on_site_only


def test_the_page_is_print_friendly(client, catalogue):
    html = _page(client, "1.001193")

    assert "css/portal.css" in html
    assert 'class="no-print"' in html


@pytest.mark.parametrize("code", ["9.999999", "1001193", "1.001193x", "%F0%9F%92%A5", "..%2F..%2Fetc"])
def test_unknown_code_gives_the_404_page(client, catalogue, code):
    response = client.get(f"/procedures/{code}/")

    assert response.status_code == 404


def test_unpublished_procedure_gives_404(client, catalogue):
    Procedure.objects.filter(code="1.001193").update(is_published=False)

    assert client.get("/procedures/1.001193/").status_code == 404


def test_detail_page_runs_a_fixed_number_of_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        _page(client, "2.000815")


def test_a_zero_fee_reads_as_exempt(client, catalogue):
    html = _page(client, "1.000894")

    assert ">Miễn\n" in html or ">Miễn<" in html
    assert ">0 đ" not in html
