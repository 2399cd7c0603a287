"""The payments fixtures (a dossier awaiting payment, the VNPay settings), the filing fixtures, and the
JSON log as the console handler writes it."""

import io
import json
import logging

import pytest

from monitoring.logs import JsonFormatter, RequestIdFilter
from tests.applications.filing.conftest import version  # noqa: F401
from tests.payments.conftest import _payment_settings, dossier, fee_version  # noqa: F401


@pytest.fixture
def json_log():
    """The JSON lines written while the test runs, as the console handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = logging.getLogger("portal.access").level
    logging.getLogger("portal.access").setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    logging.getLogger("portal.access").setLevel(previous)
