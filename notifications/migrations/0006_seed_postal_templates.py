"""Seed the templates of the result-by-post events (sent, delivered, undelivered).

Like 0004 it only creates rows that do not exist yet, so nothing an admin changed is touched.
"""

from django.db import migrations

EVENTS = ("result_posted", "postal_delivered", "postal_undelivered", "staff_postal_undelivered")


def seed(apps, schema_editor):
    from notifications.defaults import default_templates

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, language, subject, body in default_templates():
        if event in EVENTS:
            NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, language=language, defaults={"subject": subject, "body": body},
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_seed_account_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
