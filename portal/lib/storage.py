from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Storage for citizens' files and issued documents: outside MEDIA_ROOT, no public URL.

    A callable, so that migrations do not freeze the location and tests can swap it.
    """
    return storages["private"]
