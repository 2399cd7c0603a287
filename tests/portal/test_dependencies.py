"""Every pinned requirement is used: imported by the code or the tests, named in settings, or on the
short list of packages used without an import (each with its reason). An unused package is still
installed, updated and audited in every deployment, so it goes."""

from __future__ import annotations

import re
from importlib.metadata import packages_distributions

from tests.support.services import REPO

# Packages that work without being imported by name anywhere in the repository.
USED_WITHOUT_IMPORT = {
    "django-stubs": "Django's type stubs and the mypy plugin (pyproject [tool.mypy], make typecheck)",
    "mypy": "the type checker (make typecheck, run by make lint and CI)",
    "argon2-cffi": "Django's Argon2PasswordHasher imports it when hashing (PASSWORD_HASHERS)",
    "pytest-playwright": "pytest plugin: the browser tests' `page` and `browser` fixtures",
    "pytest-xdist": "pytest plugin: `pytest -n 2`",
    "ruff": "the linter (make lint, CI)",
    "uharfbuzz": "pyHanko's OpenType font engine shapes the signature stamp with it (Vietnamese diacritics)",
}
SKIPPED_FOLDERS = {".venv", ".git", "locale", "static", "staticfiles", "node_modules"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> list[str]:
    names = []
    for file in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / file).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                names.append(_normalise(re.split(r"[\[=<>~! ]", line)[0]))
    return names


def _sources() -> str:
    files = [path for folder in REPO.iterdir() if folder.is_dir() and folder.name not in SKIPPED_FOLDERS
             for path in folder.rglob("*.py")]
    files += list(REPO.glob("*.py")) + [REPO / "Dockerfile"]
    return "\n".join(path.read_text(encoding="utf-8", errors="ignore") for path in files)


def test_every_requirement_is_used():
    modules: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            modules.setdefault(_normalise(distribution), set()).add(module)
    sources = _sources()

    def used(module: str) -> bool:
        # `import x`, `from x import …`, or a dotted path in settings ("x.middleware.…", "x").
        pattern = rf"^\s*(import|from)\s+{re.escape(module)}\b|[\"']{re.escape(module)}[.\"']"
        return re.search(pattern, sources, re.MULTILINE) is not None

    unused = [name for name in _requirements()
              if name not in USED_WITHOUT_IMPORT and not any(used(m) for m in modules.get(name, {name}))]

    assert not unused, f"requirements nothing uses: {unused}"
