"""Seed the template of the administrators' daily failures digest (only rows that do not exist yet)."""

from django.db import migrations

EVENTS = ("failures_digest",)


def seed(apps, schema_editor):
    from notifications.defaults import default_templates

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, language, subject, body in default_templates():
        if event in EVENTS:
            NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, language=language, defaults={"subject": subject, "body": body},
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0009_seed_national_digest_template")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
