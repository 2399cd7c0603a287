"""Seed the templates of the account messages (password reset, activation, sign-up with a used address).

Like 0003, it only creates rows that do not exist yet.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from notifications.defaults import ACCOUNT_EVENTS, default_templates

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, language, subject, body in default_templates():
        if event in ACCOUNT_EVENTS:
            NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, language=language, defaults={"subject": subject, "body": body},
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_seed_lifecycle_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
