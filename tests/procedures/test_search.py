import pytest

from accounts.models import Agency
from procedures.models import Procedure, Sector
from procedures.selectors import ProcedureFilters, procedure_search

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"


def _codes(response):
    return [procedure.code for procedure in response.context["procedures"]]


@pytest.mark.parametrize("query", ["dang ky khai sinh", "Đăng ký khai sinh", "khai sinh", "1.001193",
                                   "DANG KY KHAI SINH", "  đăng   KÝ khai sinh  ", "khai sinh dang ky"])
def test_search_finds_birth_registration_with_or_without_diacritics(client, catalogue, query):
    response = client.get("/procedures/", {"q": query})

    assert response.status_code == 200
    assert BIRTH in _codes(response)


def test_d_with_stroke_matches_plain_d_both_ways(catalogue):
    with_stroke = {p.code for p in procedure_search("đăng ký tạm trú").object_list}
    plain = {p.code for p in procedure_search("dang ky tam tru").object_list}
    upper = {p.code for p in procedure_search("ĐĂNG KÝ TẠM TRÚ").object_list}
    assert with_stroke == plain == upper == {"1.004194"}


def test_result_count_is_shown(client, catalogue):
    response = client.get("/procedures/", {"q": "chung thuc"})

    assert response.context["page_obj"].paginator.count == 4
    assert "Tìm thấy 4 thủ tục" in response.content.decode()


def test_a_query_without_matches_says_so(client, catalogue):
    response = client.get("/procedures/", {"q": "giấy phép lái xe"})

    assert response.status_code == 200
    assert _codes(response) == []
    assert "Không tìm thấy thủ tục nào phù hợp" in response.content.decode()


@pytest.mark.parametrize("query", [
    "x" * 100_000, "💥" * 5000, "\x00\x01\x02", "' OR 1=1 --", "%_%", "\u202e\u200b", "ﷺ𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "<script>alert(1)</script>", "khai sinh " * 500,
])
def test_any_query_gives_results_or_no_results_never_an_error(client, catalogue, query):
    response = client.get("/procedures/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_invalid_utf8_in_the_query_string_is_not_an_error(client, catalogue):
    response = client.get("/procedures/?q=%ED%A0%80%FF%C3&sector=%FF")

    assert response.status_code == 200


def test_like_wildcards_in_the_query_are_literal(catalogue):
    assert procedure_search("%").paginator.count == 0
    assert procedure_search("_").paginator.count == 0


def test_filters_by_sector_level_service_level_applicant_and_agency(client, catalogue, commune):
    certification = Sector.objects.get(code="CT")

    by_sector = _codes(client.get("/procedures/", {"sector": certification.pk}))
    partial = _codes(client.get("/procedures/", {"service_level": "partial"}))
    business = _codes(client.get("/procedures/", {"applicant": "business"}))
    by_agency = _codes(client.get("/procedures/", {"agency": commune.pk, "q": "khai sinh"}))
    commune_level = client.get("/procedures/", {"level": "commune"}).context["page_obj"].paginator.count
    province_level = _codes(client.get("/procedures/", {"level": "province"}))

    assert set(by_sector) == {"2.000815", "2.000884", "2.000908", "2.000942"}
    assert "1.000894" in partial and "1.004873" not in partial
    assert set(business) == {"2.000815", "2.000884", "2.000942"}
    assert BIRTH in by_agency
    assert commune_level == Procedure.objects.count()
    assert province_level == []


def test_agency_filter_excludes_procedures_the_agency_does_not_receive(catalogue, province):
    elsewhere = Agency.objects.create(eid_code="H99.02.01", name="UBND xã Khác", kind="commune", parent=province)

    assert procedure_search("", ProcedureFilters(agency_id=elsewhere.pk)).paginator.count == 0


@pytest.mark.parametrize("params", [
    {"sector": "abc"}, {"sector": "999999"}, {"agency": "-1"}, {"level": "galaxy"},
    {"service_level": "level4"}, {"applicant": "robot"}, {"page": "abc"},
    {"sector": "9" * 30}, {"agency": "9" * 30}, {"page": "9" * 30}, {"sector": "1\x00"},
])
def test_an_invalid_filter_is_ignored_and_the_list_still_shows(client, catalogue, params):
    response = client.get("/procedures/", params)

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == Procedure.objects.count()


def test_an_invalid_filter_does_not_drop_the_valid_ones(client, catalogue):
    response = client.get("/procedures/", {"q": "khai sinh", "level": "galaxy", "service_level": "full"})

    assert set(_codes(response)) == {BIRTH}


@pytest.mark.parametrize(("page", "expected"), [("0", 1), ("-3", 1), ("abc", 1), ("999", 2), ("2", 2)])
def test_bad_page_numbers_give_the_first_or_last_page(client, catalogue, page, expected):
    response = client.get("/procedures/", {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_pagination_links_keep_the_query(client, catalogue):
    response = client.get("/procedures/", {"q": "", "level": "commune"})

    assert 'href="?q=&amp;level=commune&amp;page=2"' in response.content.decode()


def test_unpublished_procedures_are_not_listed(client, catalogue):
    Procedure.objects.filter(code=BIRTH).update(is_published=False)

    assert BIRTH not in _codes(client.get("/procedures/", {"q": "khai sinh"}))


def test_the_form_works_without_javascript_as_a_get_form(client, catalogue):
    html = client.get("/procedures/").content.decode()

    assert 'method="get"' in html and 'name="q"' in html and 'name="sector"' in html


def test_home_page_shows_search_most_used_procedures_and_sectors_with_counts(client, catalogue):
    response = client.get("/")
    html = response.content.decode()

    popular = [procedure.code for procedure in response.context["popular_procedures"]]
    assert popular[:2] == ["2.000815", BIRTH]  # by popularity
    assert 'action="/procedures/"' in html
    sectors = {sector.code: sector.procedure_count for sector in response.context["sectors"]}
    assert sectors["CT"] == 4 and sectors["CTRU"] == 3


def test_chosen_filters_stay_selected_in_the_form(client, catalogue):
    certification = Sector.objects.get(code="CT")

    html = client.get("/procedures/", {"sector": certification.pk, "service_level": "partial", "level": "x"}).content
    html = html.decode()

    assert f'<option value="{certification.pk}" selected>Chứng thực</option>' in html
    assert '<option value="partial" selected>Một phần</option>' in html
    assert 'value="commune" selected' not in html


# --- What people actually type: i/y spellings, synonyms as admin data, title ranking ------------


@pytest.fixture
def synonyms(db):
    """The seeded vocabulary (a transactional test elsewhere may have flushed migration data)."""
    from importlib import import_module

    from procedures.models import SearchSynonym

    for phrase, replacement in import_module("procedures.migrations.0007_search_synonyms").SEEDS:
        SearchSynonym.objects.get_or_create(phrase=phrase, defaults={"replacement": replacement})


@pytest.mark.parametrize("query", [
    "dang ki khai sinh", "đăng kí khai sinh", "giay khai sinh", "Giấy khai sinh", "khai sinh cho con",
    "làm giấy khai sinh cho con", "Đăng ký khai sinh", "dang ky khai sinh", "thủ tục đăng ký khai sinh",
])
def test_what_people_type_finds_birth_registration_first(client, catalogue, synonyms, query):
    codes = _codes(client.get("/procedures/", {"q": query}))

    assert codes[:1] == [BIRTH], codes


def test_the_exact_title_ranks_above_longer_titles_and_more_popular_procedures(catalogue, synonyms):
    Procedure.objects.filter(code="1.000689").update(popularity=10_000)  # "Đăng ký khai sinh kết hợp nhận cha, mẹ, con"

    codes = [p.code for p in procedure_search("dang ky khai sinh").object_list]

    assert codes[0] == BIRTH
    assert codes.index("1.000689") < codes.index("1.004884")  # title starts with the query vs. contains it


def test_i_and_y_spellings_are_the_same_word(catalogue, synonyms):
    with_i = [p.code for p in procedure_search("dang ki tam tru").object_list]
    with_y = [p.code for p in procedure_search("dang ky tam tru").object_list]
    assert with_i == with_y == ["1.004194"]


def test_a_synonym_added_in_the_admin_takes_effect_at_once(client, catalogue, synonyms, admin_user, settings,
                                                           django_capture_on_commit_callbacks):
    settings.PROCEDURE_CACHE_SECONDS = 120  # cached pages and vocabulary are dropped by the admin write
    assert _codes(client.get("/procedures/", {"q": "lam chung sinh cho be"})) == []

    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/procedures/searchsynonym/add/",
                               {"phrase": "Làm  CHỨNG SINH", "replacement": "Đăng ký khai sinh"})
    client.logout()

    assert response.status_code == 302
    from procedures.models import SearchSynonym

    assert SearchSynonym.objects.filter(phrase="lam chung sinh", replacement="dang ky khai sinh").exists()
    assert _codes(client.get("/procedures/", {"q": "lam chung sinh cho be"}))[:1] == [BIRTH]


def test_fillers_alone_do_not_list_everything(catalogue, synonyms):
    assert procedure_search("thủ tục").paginator.count == 0


def test_a_synonym_never_hides_what_the_typed_words_find(catalogue, synonyms):
    from procedures.models import SearchSynonym

    SearchSynonym.objects.create(phrase="tam tru", replacement="khai tu")

    assert "1.004194" in [p.code for p in procedure_search("dang ky tam tru").object_list]
