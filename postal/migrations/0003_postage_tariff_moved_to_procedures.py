from django.db import migrations


class Migration(migrations.Migration):
    """The tariff model now lives in procedures (its table renamed there, rows kept): drop it from
    postal's state only."""

    dependencies = [
        ("postal", "0002_postage_tariff"),
        ("procedures", "0011_postage_tariff_and_communes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="PostageRate")]),
    ]
