import pytest

from django.core.files.storage import storages

from applications.models import Attachment
from tests.factories import make_procedure


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(monkeypatch, settings):
    # FileField(storage=callable) resolves the storage once, when the model class is built, so the
    # STORAGES override in tests/conftest.py does not reach it: point the field at the test storage.
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storages["private"])


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune)
