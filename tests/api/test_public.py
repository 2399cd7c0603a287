"""The public half: catalogue, tracking (the /track/ answer and limit), schema and docs, problem details."""

from __future__ import annotations

import re

import pytest

from django.urls import reverse

from applications.models import Status
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_published_procedures_in_few_queries(api, commune, django_assert_max_num_queries):
    for _n in range(8):
        make_procedure(agency=commune, fee=20_000)
    make_procedure(agency=commune, published=False)
    with django_assert_max_num_queries(3):
        response = api.get(reverse("api:procedures"), {"page_size": 5})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 5 and body["next"]
    rest = api.get(body["next"]).json()
    assert len(rest["results"]) == 3 and rest["next"] is None


def test_a_procedure_shows_its_version_in_force(api, commune, django_assert_max_num_queries):
    version = make_procedure(agency=commune, fee=50_000)
    with django_assert_max_num_queries(7):
        response = api.get(reverse("api:procedure", args=[version.procedure.code]))
    body = response.json()
    assert body["version"]["service_level"] == "full"
    assert [f["amount"] for f in body["version"]["fees"]] == [50_000]
    assert [c["name"] for c in body["version"]["components"]][0] == "Tờ khai đăng ký khai sinh"
    assert {f["key"] for f in body["version"]["form_fields"]} == {"child_name", "birth_date"}
    assert body["version"]["receiving_agencies"] == [{"id": commune.pk, "name": commune.name}]


def test_an_unpublished_procedure_is_a_problem_404(api, commune):
    version = make_procedure(agency=commune, published=False)
    response = api.get(reverse("api:procedure", args=[version.procedure.code]))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["type"] == "/api/v1/problems/not-found"


def test_tracking_gives_the_masked_answer_of_the_track_page(api, client, commune, citizen):
    version = make_procedure(agency=commune)
    dossier = make_dossier(version, commune, citizen, status=Status.SUPPLEMENT_REQUESTED, applicant_name="Nguyễn Văn An")
    body = api.get(reverse("api:track"), {"code": dossier.code}).json()
    assert body["applicant"] == "Nguyễn V. A."
    assert body["needs_supplement"] is True
    page = client.get(reverse("applications:track"), {"code": dossier.code}).content.decode()
    assert body["applicant"] in page and "Nguyễn Văn An" not in str(body)


def test_tracking_shares_the_track_pages_rate_limit(api, client, commune, settings):
    settings.TRACKING_RATE_LIMIT = 3
    for _n in range(3):
        assert client.get(reverse("applications:track"), {"code": "X-1"}).status_code == 200
    response = api.get(reverse("api:track"), {"code": "X-1"})
    assert response.status_code == 429
    assert response.json()["type"] == "/api/v1/problems/rate-limited"


def test_the_schema_and_its_documentation_page_need_no_outside_site(api):
    schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/me/dossiers/" in schema.content.decode()
    page = api.get(reverse("api:docs"))
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
    assert sources and all(not s.startswith("http") and not s.startswith("//") for s in sources), sources
    assert "script-src 'self';" in page["Content-Security-Policy"]
    script = api.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_problem_details_follow_accept_language(api, commune, citizen):
    version = make_procedure(agency=commune)
    api.force_authenticate(citizen)
    dossier = make_dossier(version, commune, citizen, status=Status.SUPPLEMENT_REQUESTED)
    url = reverse("api:my-supplement", args=[dossier.code])
    vi = api.post(url, {"version": dossier.version + 5, "note": "đã bổ sung"}, format="json")
    en = api.post(url, {"version": dossier.version + 5, "note": "đã bổ sung"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert vi.status_code == en.status_code == 409
    assert vi.json()["detail"] != en.json()["detail"]
    assert en["Content-Language"] == "en"


def test_an_unknown_api_address_is_a_problem_not_a_page(api):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_the_anonymous_rate_limit_counts_per_address(api, settings, commune):
    settings.API_RATE_ANONYMOUS = "2/minute"
    assert [api.get(reverse("api:procedures")).status_code for _n in range(3)] == [200, 200, 429]
    other = api.get(reverse("api:procedures"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_a_body_over_the_upload_cap_is_a_problem_413(api, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 100
    response = api.post(reverse("api:my-dossiers"), {"procedure": "x" * 200}, format="json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")


def test_every_operation_parameter_and_field_of_the_schema_is_documented():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    undocumented = [
        f"{name}.{prop}" for name, component in schema["components"]["schemas"].items()
        for prop, spec in component.get("properties", {}).items()
        if "description" not in spec and "$ref" not in spec and not spec.get("allOf")
    ]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not operation.get("summary"):
                undocumented.append(f"{method} {path}")
            undocumented += [f"{method} {path} {p['name']}" for p in operation.get("parameters", [])
                             if not p.get("description")]
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (path, codes)
            assert "application/problem+json" in operation["responses"]["404"]["content"]
    assert not undocumented, undocumented
