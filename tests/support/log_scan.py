"""The whole suite's log records, scanned for the demo people's ID numbers, phones and e-mail addresses.

Every record any logger emits while the suite runs (at the level it would be emitted in production)
goes through one handler in each test process; what it finds is written to a folder that the
controlling process reads at the end, so a leak anywhere fails the run, not just in the journeys that
tests/monitoring/test_no_personal_data_in_logs.py drives on purpose.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

ENV = "PORTAL_LOG_SCAN_DIR"


def personal_values() -> list[str]:
    from accounts.demo import IDENTITIES, USERS

    values = {email for email, *_rest in USERS}
    values |= {phone for *_rest, phone in USERS if phone}
    values |= {identity["id_number"] for identity in IDENTITIES.values() if identity.get("id_number")}
    return sorted(values)


class PersonalDataHandler(logging.Handler):
    def __init__(self, values: list[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.values = values
        self.found: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record is not ours to judge here
            return
        for value in self.values:
            if value in text:
                self.found.append({"logger": record.name, "value": value, "message": text[:300]})


def install() -> PersonalDataHandler:
    """Attach to the root logger and to every configured logger that does not propagate to it."""
    handler = PersonalDataHandler(personal_values())
    logging.getLogger().addHandler(handler)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and not logger.propagate:
            logger.addHandler(handler)
    return handler


def write(handler: PersonalDataHandler, name: str) -> None:
    folder = os.environ.get(ENV)
    if folder and handler.found:
        Path(folder, f"{name}.json").write_text(json.dumps(handler.found, ensure_ascii=False))


def collected() -> list[dict[str, str]]:
    folder = os.environ.get(ENV)
    if not folder:
        return []
    return [item for path in sorted(Path(folder).glob("*.json")) for item in json.loads(path.read_text())]
