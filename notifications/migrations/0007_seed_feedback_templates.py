"""Seed the petition (phản ánh, kiến nghị) templates, and add the satisfaction rating link to the
result-returned and postal-delivered messages.

New rows only are created; an existing result message is updated only while it still has the
wording this portal shipped (an admin's own wording is left alone).
"""

from django.db import migrations

NEW_EVENTS = ("petition_received", "petition_answered", "staff_petition_new", "staff_petition_assigned",
              "staff_petition_reminder")
RATED_EVENTS = ("result_returned", "postal_delivered")


def seed(apps, schema_editor):
    from notifications.defaults import RATE_EN, RATE_VI, default_templates

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, language, subject, body in default_templates():
        if event in NEW_EVENTS:
            NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, language=language, defaults={"subject": subject, "body": body},
            )
        elif event in RATED_EVENTS:
            shipped = body.replace(RATE_VI, "").replace(RATE_EN, "")
            for row in NotificationTemplate.objects.filter(event=event, channel=channel, language=language,
                                                           body=shipped):
                row.body = body
                row.version += 1
                row.save(update_fields=["body", "version"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_seed_postal_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
