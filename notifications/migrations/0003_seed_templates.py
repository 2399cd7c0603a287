"""Seed the notification templates (Vietnamese and English) for every event.

Admins edit them afterwards; this migration only creates rows that do not exist yet, and its
reverse removes nothing an admin may have changed.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from notifications.defaults import default_templates

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, language, subject, body in default_templates():
        NotificationTemplate.objects.get_or_create(
            event=event, channel=channel, language=language, defaults={"subject": subject, "body": body},
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_notification_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
