"""The code cites the law it rests on, never the team's private notes.

Those notes live outside the repository, so a reference to them means nothing to a reader of
the code (or to an auditor of a public-sector system); cite the decree, circular or article,
or give the reason in plain words.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Built from pieces so that this file does not match itself.
FORBIDDEN = ("domain " + "§", "lessons " + "§", "domain" + ".md", "lessons" + ".md", "../" + "shared")
# Not project files: the virtualenv, VCS data, caches and run-time output.
SKIPPED_DIRS = {".venv", ".git", "__pycache__", ".pytest_cache", "node_modules", "media", "private_media",
                "staticfiles", "test-results", "results"}
BINARY_SUFFIXES = {".mo", ".pyc", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".pdf", ".woff", ".woff2", ".ttf",
                   ".otf", ".sqlite3", ".zip", ".gz", ".webp", ".svgz"}


def _project_files() -> list[Path]:
    files = []
    stack = [ROOT]
    while stack:
        directory = stack.pop()
        for entry in directory.iterdir():
            if entry.is_symlink():
                continue
            if entry.is_dir():
                if entry.name not in SKIPPED_DIRS:
                    stack.append(entry)
            elif entry.suffix.lower() not in BINARY_SUFFIXES:
                files.append(entry)
    return files


def test_no_file_cites_the_private_notes() -> None:
    files = _project_files()
    assert any(f.name == "manage.py" for f in files), "the walk must start at the project root"
    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), start=1):
            if any(marker in line for marker in FORBIDDEN):
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert not offenders, "Cite the law or give the reason instead:\n" + "\n".join(offenders)


def _typed_modules() -> list[Path]:
    """The files `make typecheck` checks, read from the Makefile's TYPED line."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in makefile.splitlines() if line.startswith("TYPED :="))
    files: list[Path] = []
    for name in line.split(":=", 1)[1].split():
        target = ROOT / name
        files.extend(sorted(p for p in target.rglob("*.py") if "migrations" not in p.parts) if target.is_dir() else [target])
    return files


def test_type_ignores_in_typed_modules_say_why() -> None:
    files = _typed_modules()
    assert ROOT / "applications" / "workflow.py" in files
    bare = []
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "# type: ignore" not in line:
                continue
            after = line.split("# type: ignore", 1)[1]
            # A specific error code, then a reason: `# type: ignore[attr-defined]  # why`.
            if not after.startswith("[") or "#" not in after:
                bare.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert not bare, "Give each `# type: ignore[code]` its reason on the line:\n" + "\n".join(bare)
