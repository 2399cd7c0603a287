"""`manage.py check --deploy`: backups can be made, and their key is usable."""

from __future__ import annotations

import shutil

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from ops.backup import BackupError, encryption_key


@register(Tags.security, deploy=True)
def backups_ready(app_configs, **kwargs) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not settings.BACKUP_ENCRYPTION_KEY:
        messages.append(Warning(
            "Backups are written unencrypted: they hold every citizen's personal data.",
            hint="Set BACKUP_ENCRYPTION_KEY (32 random bytes, URL-safe base64) and keep a copy off the server.",
            id="ops.W001",
        ))
    else:
        try:
            encryption_key(settings.BACKUP_ENCRYPTION_KEY)
        except BackupError as exc:
            messages.append(Error(str(exc), id="ops.E001"))
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            messages.append(Warning(f"{tool} is not installed: `manage.py backup`/`restore` cannot run.",
                                    hint="Install postgresql-client of the server's major version.", id="ops.W002"))
    return messages
