"""`check --deploy` warns about unencrypted backups and refuses an unusable key."""

from __future__ import annotations

import base64

from ops.checks import backups_ready


def test_a_valid_key_passes(settings):
    settings.BACKUP_ENCRYPTION_KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
    assert [message.id for message in backups_ready(None)] == []


def test_no_key_is_a_warning_and_a_short_key_an_error(settings):
    settings.BACKUP_ENCRYPTION_KEY = ""
    assert [message.id for message in backups_ready(None)] == ["ops.W001"]
    settings.BACKUP_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"too short").decode()
    assert [message.id for message in backups_ready(None)] == ["ops.E001"]
