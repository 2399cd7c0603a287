from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Files that must never have a public URL: they are streamed only by access-checked views."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through an access-checked view.")


class PrivateStorage(LazyObject):
    """The "private" storage from settings.STORAGES, looked up when first used.

    FileField resolves a callable storage once, when the model class is built; returning this
    proxy instead of the backend itself means a changed STORAGES setting (tests, management
    commands) is honoured: `reset()` is called when the setting changes.
    """

    def _setup(self) -> None:
        self._wrapped = storages["private"]

    def reset(self) -> None:
        self._wrapped = empty


_private = PrivateStorage()


def private_storage() -> Storage:
    """Storage for citizens' files and issued documents: outside MEDIA_ROOT, no public URL.

    A callable, so that migrations do not freeze the location.
    """
    return _private  # type: ignore[return-value]


def reset_private_storage(*, setting: str, **kwargs) -> None:
    # Receiver for Django's setting_changed (a framework hook, not domain logic).
    if setting == "STORAGES":
        _private.reset()
