"""Demo ratings and petitions for `manage.py seed_demo`, in both communes. Safe to run twice.

The demo petitions open their tracking page with the code and the secret printed below (demo only)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Agency, Role, User
from applications.models import Dossier, Status
from feedback import services
from feedback.models import Petition, RatingChannel

DEMO_SECRET = "demo-pakn-2026"
# (code, commune, title, content, answered?, published?)
DEMO_PETITIONS = [
    ("PA-DEMO-AP1", "H99.01.01", "Niêm yết thủ tục chưa đầy đủ",
     "Bảng niêm yết tại Bộ phận Một cửa chưa có mức lệ phí đăng ký kết hôn.", True, True),
    ("PA-DEMO-AP2", "H99.01.01", "Đề nghị bổ sung ghế chờ",
     "Buổi sáng đông người, khu vực chờ thiếu ghế ngồi.", False, False),
    ("PA-DEMO-BM1", "H99.01.02", "Thời gian trả kết quả",
     "Tôi được hẹn trả kết quả thứ Sáu nhưng đến nơi chưa có kết quả.", True, True),
    ("PA-DEMO-BM2", "H99.01.02", "Hướng dẫn nộp hồ sơ trực tuyến",
     "Đề nghị có video hướng dẫn nộp hồ sơ trực tuyến trên điện thoại.", False, False),
]
ANSWER = "Cơ quan đã tiếp thu, chấn chỉnh và cập nhật ngay trong tuần. Cảm ơn ông/bà đã phản ánh."
SCORES = [
    ({"total_time": 2, "contacts": 2, "agencies": 2, "conduct": 2, "disclosure": 2, "online": 2}, 5),
    ({"total_time": 1, "contacts": 1, "agencies": 2, "conduct": 2, "disclosure": 1, "online": 1}, 4),
]


def seed() -> list[str]:
    created: list[str] = []
    returned = Dossier.objects.filter(status=Status.RETURNED, rating__isnull=True).select_related("procedure_version")
    for n, dossier in enumerate(returned):
        if services.rating_refusal(dossier):
            continue
        scores, overall = SCORES[n % len(SCORES)]
        services.rating_record(dossier=dossier, scores=scores, overall=overall, channel=RatingChannel.LINK)
        created.append(f"rating:{dossier.code}")
    agencies = {agency.eid_code: agency for agency in Agency.objects.filter(eid_code__in=["H99.01.01", "H99.01.02"])}
    for code, eid, title, content, answered, published in DEMO_PETITIONS:
        agency = agencies.get(eid)
        officer = User.objects.filter(agency=agency, role=Role.OFFICER).order_by("pk").first() if agency else None
        if agency is None or officer is None or Petition.objects.filter(code=code).exists():
            continue
        petition, _secret = services.petition_submit(
            topic="agency", agency=agency, title=title, content=content, sender_name="Nguyễn Thị Mẫu",
            sender_email="mau@example.vn",
        )
        received_at = petition.received_at - timedelta(days=3)
        Petition.objects.filter(pk=petition.pk).update(
            code=code, secret_hash=services.secret_hash(DEMO_SECRET), received_at=received_at,
            due_at=services.petition_answer_due(received_at),
        )
        petition.refresh_from_db()
        if answered:
            petition = services.petition_answer(petition=petition, actor=officer, answer=ANSWER)
            Petition.objects.filter(pk=petition.pk).update(answer_rating=4, answer_rated_at=timezone.now())
        if published:
            services.petition_publish(petition=petition, actor=officer, public_question=content, public_answer=ANSWER)
        created.append(code)
    return created
