"""The portal's own wording for every notification event, in Vietnamese and English.

The seed migration writes these rows for admins to edit; `templates_for` falls back to them when a
row is missing (deleted by an admin, or a test database flushed of migration data), so an event is
never silently dropped for want of a template.
"""

from __future__ import annotations

from collections.abc import Iterator

CITIZEN = ("email", "sms", "in_app")
STAFF = ("email", "in_app")

ITEMS_VI = "{% for item in items %}\n- {{ item }}{% endfor %}"
ITEMS_EN = ITEMS_VI
# The satisfaction rating link (a signed link that works without signing in) on result-returned messages.
RATE_VI = "{% if rating_link %} Mời bạn đánh giá mức độ hài lòng (không cần đăng nhập): {{ rating_link }}{% endif %}"
RATE_EN = "{% if rating_link %} Please rate your satisfaction (no sign-in needed): {{ rating_link }}{% endif %}"

# event: (channels, vi subject, vi message, en subject, en message)
EVENTS = {
    # --- To citizens -------------------------------------------------------------------------
    "submitted": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} đã được gửi",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) đã được gửi đến {{ agency_name }} và đang chờ cán bộ tiếp nhận.",
        "Dossier {{ dossier_code }} has been submitted",
        "Your dossier {{ dossier_code }} ({{ procedure_name }}) has been sent to {{ agency_name }} and is waiting to be received by an officer.",
    ),
    "withdrawn": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} đã được rút",
        "Bạn đã rút hồ sơ {{ dossier_code }} ({{ procedure_name }}).",
        "Dossier {{ dossier_code }} has been withdrawn",
        "You withdrew dossier {{ dossier_code }} ({{ procedure_name }}).",
    ),
    "received": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} đã được tiếp nhận",
        "{{ agency_name }} đã tiếp nhận hồ sơ {{ dossier_code }} ({{ procedure_name }}) lúc {{ received_at }}. Ngày hẹn trả kết quả: {{ appointment }}.",
        "Dossier {{ dossier_code }} has been received",
        "{{ agency_name }} received your dossier {{ dossier_code }} ({{ procedure_name }}) at {{ received_at }}. Your result is due on {{ appointment }}.",
    ),
    "completion_requested": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} cần bổ sung, hoàn thiện",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) chưa đủ điều kiện tiếp nhận. Vui lòng bổ sung, hoàn thiện các nội dung sau:" + ITEMS_VI,
        "Dossier {{ dossier_code }} needs to be completed",
        "Your dossier {{ dossier_code }} ({{ procedure_name }}) cannot be received yet. Please add or correct the following:" + ITEMS_EN,
    ),
    "supplement_requested": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} cần bổ sung giấy tờ",
        "Trong quá trình giải quyết hồ sơ {{ dossier_code }} ({{ procedure_name }}), cơ quan yêu cầu bổ sung, hoàn thiện các nội dung sau:" + ITEMS_VI + "\nThời hạn giải quyết tạm dừng cho đến khi bạn bổ sung đủ.",
        "Dossier {{ dossier_code }} needs more documents",
        "While processing your dossier {{ dossier_code }} ({{ procedure_name }}), the agency asks you to add or correct the following:" + ITEMS_EN + "\nThe time limit is paused until you have supplied them.",
    ),
    "refused": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} không được tiếp nhận",
        "{{ agency_name }} từ chối tiếp nhận hồ sơ {{ dossier_code }} ({{ procedure_name }}). Lý do: {{ reason }}",
        "Dossier {{ dossier_code }} was not accepted",
        "{{ agency_name }} refused to receive your dossier {{ dossier_code }} ({{ procedure_name }}). Reason: {{ reason }}",
    ),
    "payment_requested": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }}: đề nghị nộp phí, lệ phí",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) cần nộp phí, lệ phí: {{ amount|vnd }}. Bạn có thể thanh toán trực tuyến trên cổng.",
        "Dossier {{ dossier_code }}: fees to pay",
        "Your dossier {{ dossier_code }} ({{ procedure_name }}) requires a fee of {{ amount|vnd }}. You can pay online on the portal.",
    ),
    "payment_confirmed": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }}: đã nhận phí, lệ phí",
        "Đã ghi nhận khoản nộp {{ amount|vnd }} cho hồ sơ {{ dossier_code }} ({{ procedure_name }}). Hồ sơ tiếp tục được giải quyết.",
        "Dossier {{ dossier_code }}: payment received",
        "We received your payment of {{ amount|vnd }} for dossier {{ dossier_code }} ({{ procedure_name }}). Processing continues.",
    ),
    "approved": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} đã có kết quả",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) đã có kết quả giải quyết. {{ result_delivery_note }}",
        "Dossier {{ dossier_code }}: your result is ready",
        "The result of your dossier {{ dossier_code }} ({{ procedure_name }}) is ready. {{ result_delivery_note_en }}",
    ),
    "not_eligible": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} không đủ điều kiện giải quyết",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) không đủ điều kiện giải quyết. Lý do: {{ reason }}",
        "Dossier {{ dossier_code }} cannot be granted",
        "Your dossier {{ dossier_code }} ({{ procedure_name }}) does not meet the conditions. Reason: {{ reason }}",
    ),
    "apologised": (
        CITIZEN,
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ dossier_code }}",
        "{{ agency_name }} xin lỗi vì chưa trả kết quả hồ sơ {{ dossier_code }} ({{ procedure_name }}) đúng hẹn. Lý do: {{ reason }}. Ngày hẹn trả kết quả mới: {{ new_date }}.",
        "Apology and new date for dossier {{ dossier_code }}",
        "{{ agency_name }} apologises for not returning the result of dossier {{ dossier_code }} ({{ procedure_name }}) on time. Reason: {{ reason }}. New result date: {{ new_date }}.",
    ),
    "extended": (
        CITIZEN,
        "Gia hạn thời gian giải quyết hồ sơ {{ dossier_code }}",
        "{{ agency_name }} gia hạn thời gian giải quyết hồ sơ {{ dossier_code }} ({{ procedure_name }}) theo quy định để xác minh. Lý do: {{ reason }}. Ngày hẹn trả kết quả mới: {{ new_date }}.",
        "Time limit extended for dossier {{ dossier_code }}",
        "{{ agency_name }} extended the time limit of dossier {{ dossier_code }} ({{ procedure_name }}) as the law allows, to verify it. Reason: {{ reason }}. New result date: {{ new_date }}.",
    ),
    "stop_declined": (
        CITIZEN,
        "Đề nghị dừng hồ sơ {{ dossier_code }} không được chấp thuận",
        "{{ agency_name }} không chấp thuận đề nghị dừng giải quyết hồ sơ {{ dossier_code }} ({{ procedure_name }}); hồ sơ tiếp tục được giải quyết. Lý do: {{ reason }}",
        "Request to stop dossier {{ dossier_code }} declined",
        "{{ agency_name }} declined your request to stop dossier {{ dossier_code }} ({{ procedure_name }}); it continues to be processed. Reason: {{ reason }}",
    ),
    "stopped": (
        CITIZEN,
        "Hồ sơ {{ dossier_code }} đã dừng giải quyết",
        "Theo đề nghị của bạn, {{ agency_name }} đã dừng giải quyết hồ sơ {{ dossier_code }} ({{ procedure_name }}).",
        "Dossier {{ dossier_code }} has been stopped",
        "At your request, {{ agency_name }} stopped processing dossier {{ dossier_code }} ({{ procedure_name }}).",
    ),
    "result_returned": (
        CITIZEN,
        "Đã trả kết quả hồ sơ {{ dossier_code }}",
        "Kết quả hồ sơ {{ dossier_code }} ({{ procedure_name }}) đã được trả{% if return_method %} ({{ return_method }}){% endif %}. Cảm ơn bạn đã sử dụng dịch vụ công." + RATE_VI,
        "Result of dossier {{ dossier_code }} returned",
        "The result of dossier {{ dossier_code }} ({{ procedure_name }}) has been returned to you. Thank you for using our online services." + RATE_EN,
    ),
    "result_posted": (
        CITIZEN,
        "Kết quả hồ sơ {{ dossier_code }} đã được gửi qua bưu chính",
        "{{ agency_name }} đã gửi kết quả hồ sơ {{ dossier_code }} ({{ procedure_name }}) qua bưu chính công ích đến địa chỉ bạn đăng ký. Bạn theo dõi hành trình bưu gửi trên trang hồ sơ.",
        "Result of dossier {{ dossier_code }} sent by post",
        "{{ agency_name }} sent the result of dossier {{ dossier_code }} ({{ procedure_name }}) by public post to the address you gave. Follow the parcel on the dossier page.",
    ),
    "postal_delivered": (
        CITIZEN,
        "Bưu điện đã phát kết quả hồ sơ {{ dossier_code }}",
        "Bưu điện đã phát kết quả hồ sơ {{ dossier_code }} ({{ procedure_name }}){% if tracking_number %}, số hiệu bưu gửi {{ tracking_number }}{% endif %}. Cảm ơn bạn đã sử dụng dịch vụ công." + RATE_VI,
        "Result of dossier {{ dossier_code }} delivered",
        "The post delivered the result of dossier {{ dossier_code }} ({{ procedure_name }}){% if tracking_number %}, parcel {{ tracking_number }}{% endif %}. Thank you for using our online services." + RATE_EN,
    ),
    "postal_undelivered": (
        CITIZEN,
        "Bưu điện không phát được kết quả hồ sơ {{ dossier_code }}",
        "Bưu điện không phát được kết quả hồ sơ {{ dossier_code }} ({{ procedure_name }}). Lý do: {{ reason }}. Kết quả đã được chuyển về {{ agency_name }}: mời bạn mang giấy tiếp nhận và giấy tờ tùy thân đến Bộ phận Một cửa để nhận.",
        "The post could not deliver the result of dossier {{ dossier_code }}",
        "The post could not deliver the result of dossier {{ dossier_code }} ({{ procedure_name }}). Reason: {{ reason }}. The result is back at {{ agency_name }}: please collect it at the one-stop shop with your receipt slip and identity document.",
    ),
    # --- Feedback and petitions (phản ánh, kiến nghị) -------------------------------------------
    "petition_received": (
        CITIZEN,
        "Đã tiếp nhận phản ánh, kiến nghị {{ petition_code }}",
        "{{ agency_name }} đã tiếp nhận phản ánh, kiến nghị \"{{ petition_title }}\", mã {{ petition_code }}. Hạn trả lời: {{ due }}. Bạn tra cứu bằng mã phản ánh và mã bí mật đã nhận khi gửi.",
        "Feedback {{ petition_code }} received",
        "{{ agency_name }} received your feedback \"{{ petition_title }}\", code {{ petition_code }}. Answer due: {{ due }}. Follow it with the code and the secret you were given when sending it.",
    ),
    "petition_answered": (
        CITIZEN,
        "Phản ánh, kiến nghị {{ petition_code }} đã có trả lời",
        "{{ agency_name }} đã trả lời phản ánh, kiến nghị \"{{ petition_title }}\" ({{ petition_code }}): {{ status }}. Mời bạn tra cứu bằng mã phản ánh và mã bí mật để xem nội dung và đánh giá.",
        "Your feedback {{ petition_code }} has an answer",
        "{{ agency_name }} answered your feedback \"{{ petition_title }}\" ({{ petition_code }}): {{ status }}. Look it up with the code and the secret to read it and rate it.",
    ),
    "staff_petition_new": (
        STAFF,
        "Phản ánh, kiến nghị mới {{ petition_code }}",
        "Có phản ánh, kiến nghị mới gửi {{ agency_name }}: \"{{ petition_title }}\" ({{ petition_code }}). Hạn trả lời: {{ due }}.",
        "New feedback {{ petition_code }}",
        "New feedback for {{ agency_name }}: \"{{ petition_title }}\" ({{ petition_code }}). Answer due: {{ due }}.",
    ),
    "staff_petition_assigned": (
        STAFF,
        "Phản ánh, kiến nghị {{ petition_code }} được giao cho bạn",
        "Bạn được giao xử lý phản ánh, kiến nghị \"{{ petition_title }}\" ({{ petition_code }}). Hạn trả lời: {{ due }}.",
        "Feedback {{ petition_code }} assigned to you",
        "You have been assigned feedback \"{{ petition_title }}\" ({{ petition_code }}). Answer due: {{ due }}.",
    ),
    "staff_petition_reminder": (
        STAFF,
        "{% if overdue %}Quá hạn{% else %}Sắp đến hạn{% endif %} trả lời phản ánh {{ petition_code }}",
        "Phản ánh, kiến nghị \"{{ petition_title }}\" ({{ petition_code }}) {% if overdue %}đã quá hạn trả lời{% else %}sắp đến hạn trả lời{% endif %}: {{ due }}.",
        "Feedback {{ petition_code }} {% if overdue %}overdue{% else %}due soon{% endif %}",
        "Feedback \"{{ petition_title }}\" ({{ petition_code }}) is {% if overdue %}overdue{% else %}due soon{% endif %}: {{ due }}.",
    ),
    # --- To staff ------------------------------------------------------------------------------
    "staff_postal_undelivered": (
        STAFF,
        "Kết quả hồ sơ {{ dossier_code }} bị chuyển hoàn",
        "Bưu điện không phát được kết quả hồ sơ {{ dossier_code }} ({{ procedure_name }}). Lý do: {{ reason }}. Hồ sơ đã trở lại hàng chờ trả kết quả.",
        "Result of dossier {{ dossier_code }} came back from the post",
        "The post could not deliver the result of dossier {{ dossier_code }} ({{ procedure_name }}). Reason: {{ reason }}. The dossier is back in the queue of results to return.",
    ),
    "staff_new_dossier": (
        STAFF,
        "Hồ sơ trực tuyến mới {{ dossier_code }}",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) của {{ applicant_name }} vừa được nộp trực tuyến và đang chờ tiếp nhận.",
        "New online dossier {{ dossier_code }}",
        "Dossier {{ dossier_code }} ({{ procedure_name }}) from {{ applicant_name }} was filed online and is waiting to be received.",
    ),
    "staff_assigned": (
        STAFF,
        "Hồ sơ {{ dossier_code }} được chuyển đến bạn",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) được chuyển đến bạn xử lý. Hạn trả kết quả: {{ appointment }}.",
        "Dossier {{ dossier_code }} assigned to you",
        "Dossier {{ dossier_code }} ({{ procedure_name }}) has been assigned to you. Due: {{ appointment }}.",
    ),
    "staff_supplemented": (
        STAFF,
        "Hồ sơ {{ dossier_code }} đã được bổ sung",
        "Công dân đã bổ sung hồ sơ {{ dossier_code }} ({{ procedure_name }}). Hạn trả kết quả mới: {{ appointment }}.",
        "Dossier {{ dossier_code }} has been supplemented",
        "The applicant supplemented dossier {{ dossier_code }} ({{ procedure_name }}). New due date: {{ appointment }}.",
    ),
    "staff_payment_confirmed": (
        STAFF,
        "Hồ sơ {{ dossier_code }} đã nộp phí, lệ phí",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) đã nộp {{ amount|vnd }}; tiếp tục giải quyết.",
        "Dossier {{ dossier_code }}: fees paid",
        "Dossier {{ dossier_code }} ({{ procedure_name }}) has paid {{ amount|vnd }}; processing continues.",
    ),
    "staff_approval_requested": (
        STAFF,
        "Hồ sơ {{ dossier_code }} chờ phê duyệt",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) được trình phê duyệt. Hạn trả kết quả: {{ appointment }}.",
        "Dossier {{ dossier_code }} awaits approval",
        "Dossier {{ dossier_code }} ({{ procedure_name }}) was submitted for approval. Due: {{ appointment }}.",
    ),
    "staff_sent_back": (
        STAFF,
        "Hồ sơ {{ dossier_code }} được trả lại để xử lý tiếp",
        "Lãnh đạo trả lại hồ sơ {{ dossier_code }} ({{ procedure_name }}). Ghi chú: {{ note }}",
        "Dossier {{ dossier_code }} sent back to you",
        "The leader sent dossier {{ dossier_code }} ({{ procedure_name }}) back. Note: {{ note }}",
    ),
    "staff_stop_requested": (
        STAFF,
        "Công dân đề nghị dừng hồ sơ {{ dossier_code }}",
        "Người nộp đề nghị dừng giải quyết hồ sơ {{ dossier_code }} ({{ procedure_name }}). Lý do: {{ reason }}",
        "Stop requested for dossier {{ dossier_code }}",
        "The applicant asked to stop dossier {{ dossier_code }} ({{ procedure_name }}). Reason: {{ reason }}",
    ),
    "deadline_digest": (
        STAFF,
        "Hồ sơ đến hạn và quá hạn ngày {{ today }}",
        "{{ agency_name }}: {{ due_soon|length }} hồ sơ đến hạn trong một ngày làm việc, {{ overdue|length }} hồ sơ quá hạn."
        "{% if due_soon %}\nĐến hạn:{% for row in due_soon %}\n- {{ row.code }} ({{ row.procedure }}), hạn {{ row.due }}{% endfor %}{% endif %}"
        "{% if overdue %}\nQuá hạn:{% for row in overdue %}\n- {{ row.code }} ({{ row.procedure }}), hạn {{ row.due }}{% endfor %}{% endif %}",
        "Dossiers due and overdue on {{ today }}",
        "{{ agency_name }}: {{ due_soon|length }} dossier(s) due within one working day, {{ overdue|length }} overdue."
        "{% if due_soon %}\nDue:{% for row in due_soon %}\n- {{ row.code }} ({{ row.procedure }}), due {{ row.due }}{% endfor %}{% endif %}"
        "{% if overdue %}\nOverdue:{% for row in overdue %}\n- {{ row.code }} ({{ row.procedure }}), due {{ row.due }}{% endfor %}{% endif %}",
    ),
    "attachment_infected": (
        CITIZEN,
        "Một tệp của hồ sơ {{ dossier_code }} có mã độc và đã bị xóa",
        "Tệp \"{{ file_name }}\" của hồ sơ {{ dossier_code }} ({{ procedure_name }}) có chứa mã độc (virus) nên đã bị xóa khỏi hồ sơ. Vui lòng quét virus trên máy của bạn và tải lên lại bản sạch của giấy tờ này.",
        "A file of dossier {{ dossier_code }} contained malware and was removed",
        "The file \"{{ file_name }}\" of dossier {{ dossier_code }} ({{ procedure_name }}) contained malware (a virus) and was removed from the dossier. Please scan your computer and upload a clean copy of this paper again.",
    ),
    "staff_attachment_infected": (
        STAFF,
        "Hồ sơ {{ dossier_code }}: một tệp có mã độc đã bị xóa",
        "Tệp \"{{ file_name }}\" của hồ sơ {{ dossier_code }} ({{ procedure_name }}) được quét lại và phát hiện mã độc nên đã bị xóa; công dân đã được thông báo để nộp lại bản sạch.",
        "Dossier {{ dossier_code }}: a file with malware was removed",
        "The file \"{{ file_name }}\" of dossier {{ dossier_code }} ({{ procedure_name }}) was scanned again, found to contain malware and removed; the citizen has been asked to upload a clean copy.",
    ),
    "national_sync_digest": (
        STAFF,
        "Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia ngày {{ day }}",
        "Ngày {{ day }}: {{ delivered }} lượt đồng bộ thành công. Hiện có {{ waiting }} lượt đang chờ gửi lại và "
        "{{ dead }} lượt đồng bộ thất bại cần xử lý trong trang quản trị.",
        "Sync with the national public-service portal on {{ day }}",
        "{{ day }}: {{ delivered }} status change(s) synced. {{ waiting }} waiting to be sent again and {{ dead }} "
        "failed for good, to be handled in the admin.",
    ),
    # The administrators' daily digest of what failed for good (monitoring.services.failures_digest_send).
    "failures_digest": (
        STAFF,
        "Các việc xử lý tự động thất bại cần xem ngày {{ day }}",
        "Ngày {{ day }}, các việc sau đã thất bại hẳn và cần người xử lý:\n"
        "- Thông báo gửi lỗi: {{ notifications_failed }} ({{ notifications_link }})\n"
        "- Đồng bộ Cổng Dịch vụ công quốc gia thất bại: {{ national_dead }} ({{ national_link }})\n"
        "- Văn bản không tạo được: {{ documents_failed }} ({{ documents_link }})\n"
        "- Giao dịch thanh toán chưa đối soát được: {{ payments_stuck }} ({{ payments_link }})\n"
        "- Yêu cầu bưu chính thất bại hoặc bị từ chối: {{ postal_failed }} ({{ postal_link }})",
        "Automatic work that failed for good on {{ day }}",
        "On {{ day }}, the following failed for good and need a person:\n"
        "- Notifications not sent: {{ notifications_failed }} ({{ notifications_link }})\n"
        "- National portal syncs failed: {{ national_dead }} ({{ national_link }})\n"
        "- Documents not generated: {{ documents_failed }} ({{ documents_link }})\n"
        "- Payments not reconciled: {{ payments_stuck }} ({{ payments_link }})\n"
        "- Postal orders failed or rejected: {{ postal_failed }} ({{ postal_link }})",
    ),
    "apology_reminder": (
        STAFF,
        "Hôm nay là hạn cuối gửi thư xin lỗi cho hồ sơ {{ dossier_code }}",
        "Hồ sơ {{ dossier_code }} ({{ procedure_name }}) đến hạn trả kết quả lúc {{ appointment }}. Nếu không kịp trả đúng hạn, hôm nay là ngày cuối cùng được gửi thư xin lỗi và hẹn lại ngày trả kết quả (chỉ một lần).",
        "Last day to apologise for dossier {{ dossier_code }}",
        "Dossier {{ dossier_code }} ({{ procedure_name }}) is due at {{ appointment }}. If it will be late, today is the last day to send the apology with a new date (allowed once).",
    ),
}

# Messages about the account itself (password reset, activation): sent to the address the person
# typed, by email or SMS, never in-app (they are read before signing in).
ACCOUNT = ("email", "sms")
ACCOUNT_EVENTS = {
    "password_reset": (
        ACCOUNT,
        "Đặt lại mật khẩu",
        "Có yêu cầu đặt lại mật khẩu tài khoản của bạn trên {{ portal_name }}. Mở liên kết dưới đây trong vòng {{ valid_minutes }} phút để đặt mật khẩu mới; liên kết chỉ dùng được một lần. Nếu bạn không yêu cầu, hãy bỏ qua tin này.",
        "Reset your password",
        "Someone asked to reset the password of your account on {{ portal_name }}. Open the link below within {{ valid_minutes }} minutes to choose a new password; it works only once. If it was not you, ignore this message.",
    ),
    "account_activate": (
        ACCOUNT,
        "Kích hoạt tài khoản",
        "Chào {{ recipient_name }}, mở liên kết dưới đây trong vòng {{ valid_minutes }} phút để kích hoạt tài khoản của bạn trên {{ portal_name }}.",
        "Activate your account",
        "Hello {{ recipient_name }}, open the link below within {{ valid_minutes }} minutes to activate your account on {{ portal_name }}.",
    ),
    "signup_existing": (
        ACCOUNT,
        "Địa chỉ này đã có tài khoản",
        "Có người (có thể là bạn) vừa đăng ký tài khoản mới trên {{ portal_name }} bằng địa chỉ này, nhưng địa chỉ này đã có tài khoản. Nếu bạn quên mật khẩu, hãy đặt lại mật khẩu theo liên kết dưới đây. Nếu không phải bạn, hãy bỏ qua tin này.",
        "This address already has an account",
        "Someone (perhaps you) just tried to sign up on {{ portal_name }} with this address, which already has an account. If you forgot your password, reset it with the link below. If it was not you, ignore this message.",
    ),
}


def _bodies(channel, language, subject, message):
    if channel == "email":
        greeting = "Kính gửi {{ recipient_name }}," if language == "vi" else "Dear {{ recipient_name }},"
        more = "Xem chi tiết" if language == "vi" else "Details"
        footer = "Thư này được gửi tự động từ {{ portal_name }}, vui lòng không trả lời." if language == "vi" else (
            "This message was sent automatically by {{ portal_name }}; please do not reply."
        )
        body = f"{greeting}\n\n{message}\n\n{more}: {{{{ link }}}}\n\n{footer}"
        return "[{{ portal_name }}] " + subject, body
    if channel == "sms":
        return "", f"DVC: {message} {{{{ link }}}}"
    return subject, message




def default_templates() -> Iterator[tuple[str, str, str, str, str]]:
    """(event, channel, language, subject, body) for every default template."""
    for event, (channels, vi_subject, vi_message, en_subject, en_message) in {**EVENTS, **ACCOUNT_EVENTS}.items():
        for language, subject, message in (("vi", vi_subject, vi_message), ("en", en_subject, en_message)):
            for channel in channels:
                subject_text, body = _bodies(channel, language, subject, message)
                yield event, channel, language, subject_text, body
