import pytest

from django.core.files.base import ContentFile

from applications.models import Attachment, Document


@pytest.mark.parametrize("model", [Attachment, Document])
def test_private_files_go_to_the_configured_private_storage_not_media(model, settings, tmp_path):
    storage = model._meta.get_field("file").storage
    name = storage.save("probe/x.txt", ContentFile(b"private"))
    # tests/conftest.py points "private" at tmp_path / "private": the field must follow the setting.
    assert (tmp_path / "private" / name).read_bytes() == b"private"
    assert not (tmp_path / "media" / name).exists()
    with pytest.raises(ValueError):
        storage.url(name)  # no public URL: private files are only streamed by access-checked views
