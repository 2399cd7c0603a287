from django.db import migrations, models


def contacts_stay_editable(apps, schema_editor):
    # Existing fields bound to a contact (phone, email) stay editable for a verified citizen;
    # those bound to identity details (name, ID number, birth date, address) lock.
    FormField = apps.get_model("procedures", "FormField")
    FormField.objects.filter(prefill__in=["phone", "email"]).update(editable_when_verified=True)


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0008_postage_paid_by_agency"),
    ]

    operations = [
        migrations.AddField(
            model_name="formfield",
            name="editable_when_verified",
            field=models.BooleanField(
                default=False,
                help_text="Khi người nộp đã xác thực qua VNeID và tự nộp trực tuyến, trường điền sẵn từ thông tin đã xác thực bị khóa, trừ khi chọn mục này (ví dụ số điện thoại liên hệ).",
                verbose_name="sửa được khi đã xác thực",
            ),
        ),
        migrations.RunPython(contacts_stay_editable, migrations.RunPython.noop),
    ]
