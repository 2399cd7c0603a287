"""Template hygiene that Django does not check for us."""

import re

from tests.support.services import REPO

COMMENT_OPEN = re.compile(r"\{#")


def test_no_template_has_a_multi_line_hash_comment():
    # Django's {# … #} ends at the line's end: a comment spanning lines is printed on the page.
    offenders = []
    for path in (REPO / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in COMMENT_OPEN.finditer(line):
                if "#}" not in line[match.end():]:
                    offenders.append(f"{path.relative_to(REPO)}:{number}")
    assert not offenders, offenders


def test_no_page_shows_template_syntax(client, db):
    for path in ("/", "/procedures/", "/track/", "/accounts/login/"):
        body = client.get(path).content.decode()
        assert "{#" not in body and "{%" not in body, path
