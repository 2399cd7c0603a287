import pytest

from tests.docstore.builders import typed_procedure


@pytest.fixture
def version(commune):
    return typed_procedure(commune)
