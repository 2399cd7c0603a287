"""Give the fee lines seeded by earlier demo loads their channel and condition.

Residence fees (Circular 75/2022/TT-BTC) have one rate at the counter and a lower one online; late birth
and death registration fees apply only after the statutory period (Law on Civil Status 2014 Art 11, 15,
33). Lines are matched by procedure code and line name, so lines an administrator wrote are untouched.
"""

from django.db import migrations

CHANNELS = [
    ("1.004222", "Lệ phí đăng ký thường trú (nộp trực tiếp)", "counter"),
    ("1.004222", "Lệ phí đăng ký thường trú (nộp trực tuyến)", "online"),
    ("1.004194", "Lệ phí đăng ký tạm trú (nộp trực tiếp)", "counter"),
    ("1.004194", "Lệ phí đăng ký tạm trú (nộp trực tuyến)", "online"),
]
LATE = [
    ("1.001193", "Lệ phí đăng ký khai sinh (đăng ký quá hạn)", "child_birth_date", 60),
    ("1.000656", "Lệ phí đăng ký khai tử (đăng ký quá hạn)", "death_date", 15),
]


def forwards(apps, schema_editor):
    Fee = apps.get_model("procedures", "Fee")
    for code, name, channel in CHANNELS:
        Fee.objects.filter(version__procedure__code=code, name=name, channel="any").update(channel=channel)
    for code, name, key, days in LATE:
        Fee.objects.filter(version__procedure__code=code, name=name, condition="").update(
            condition="late_registration", condition_field=key, condition_days=days
        )


def backwards(apps, schema_editor):
    Fee = apps.get_model("procedures", "Fee")
    for code, name, _channel in CHANNELS:
        Fee.objects.filter(version__procedure__code=code, name=name).update(channel="any")
    for code, name, _key, _days in LATE:
        Fee.objects.filter(version__procedure__code=code, name=name).update(
            condition="", condition_field="", condition_days=None
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_fee_channel_and_conditions")]

    operations = [migrations.RunPython(forwards, backwards)]
