"""axe-core (bundled with axe-playwright-python) on the pages every citizen passes through.

A government portal must be usable with a screen reader and a keyboard: no serious or critical
violation is allowed on these pages, on a desktop and on a 360 px phone.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.core.management import call_command

from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/procedures/?q=khai+sinh", "/procedures/1.001193/", "/track/", "/accounts/login/", "/accounts/signup/",
         "/phan-anh-kien-nghi/", "/phan-anh-kien-nghi/gui/", "/phan-anh-kien-nghi/tra-cuu/"]


def _serious(results) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1280, 360])
def test_public_pages_have_no_serious_accessibility_violations(live_server, browser, width):
    call_command("seed_demo", verbosity=0)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    axe = Axe()
    problems = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        found = _serious(axe.run(page))
        if found:
            problems[path] = found
    context.close()
    assert not problems, problems


def _login(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "demo-password-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    second_factor_pass(page, email)


@pytest.mark.parametrize("email, paths", [
    ("citizen@example.vn", ["/dossiers/", "/dossiers/{citizen_code}/", "/notifications/", "/my-documents/"]),
    ("officer@example.vn", ["/officer/", "/officer/dossiers/{officer_code}/", "/officer/guided/", "/payments/report/",
                            "/officer/phan-anh/"]),
])
def test_signed_in_pages_have_no_serious_accessibility_violations(live_server, page, email, paths):
    from applications.models import Dossier

    call_command("seed_demo", verbosity=0)
    codes = {
        "citizen_code": Dossier.objects.filter(owner__email="citizen@example.vn").exclude(code=None).first().code,
        "officer_code": Dossier.objects.filter(agency__eid_code="H99.01.01").exclude(code=None).first().code,
    }
    _login(page, live_server.url, email)
    axe = Axe()
    problems = {}
    for path in paths:
        page.goto(live_server.url + path.format(**codes))
        found = _serious(axe.run(page))
        if found:
            problems[path] = found
    assert not problems, problems
