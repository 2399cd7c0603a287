from django.db import migrations

DEFAULTS = [
    ("", 10, "Lựa chọn của cơ quan triển khai: 10 năm kể từ khi kết thúc hồ sơ. Luật Bảo vệ dữ liệu cá nhân "
             "91/2025/QH15 chỉ cho lưu dữ liệu cá nhân trong thời gian cần cho mục đích xử lý; thời hạn cụ thể "
             "của từng loại hồ sơ theo bảng thời hạn lưu trữ (Thông tư 13/2023/TT-BNV) do cơ quan điều chỉnh."),
    ("result", None, "Kết quả giải quyết thủ tục hành chính do cơ quan nhà nước cấp: lưu trữ, không xóa "
                     "(Luật Lưu trữ 33/2024/QH15; Thông tư 13/2023/TT-BNV)."),
    ("tracking_book", None, "Sổ theo dõi hồ sơ của cơ quan: lưu trữ (Luật Lưu trữ 33/2024/QH15)."),
    ("receipt", 5, "Lựa chọn của cơ quan triển khai: giấy tiếp nhận, phiếu hướng dẫn chỉ phục vụ việc giải quyết "
                   "hồ sơ; giữ 5 năm rồi xóa tệp (Luật 91/2025/QH15)."),
]


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for kind, years, source in DEFAULTS:
        RetentionRule.objects.get_or_create(procedure=None, sector=None, document_kind=kind,
                                            defaults={"years": years, "legal_source": source})


class Migration(migrations.Migration):

    dependencies = [("retention", "0001_retention_rules_and_runs")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
