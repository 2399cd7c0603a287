"""Seed the template of the daily national-portal sync digest (only rows that do not exist yet)."""

from django.db import migrations

EVENTS = ("national_sync_digest",)


def seed(apps, schema_editor):
    from notifications.defaults import default_templates

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, language, subject, body in default_templates():
        if event in EVENTS:
            NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, language=language, defaults={"subject": subject, "body": body},
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0008_seed_malware_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
