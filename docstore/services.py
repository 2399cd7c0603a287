"""Writes on the citizen's document store. The rows belong to `applications`; these go through
its filing services, never around them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from applications.filing import FilingError, attachment_reuse, attachment_store_keep, attachment_store_remove
from applications.models import Attachment, Document, Dossier
from docstore.selectors import RESULT, keepable_attachment_get, store_item_get
from procedures.models import Component


class StoreError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def store_item_delete(*, owner: User, source: str, pk: int) -> Attachment:
    """Take a paper out of the owner's store. Results issued by the state are kept (Decree 45/2020
    Art 16: the store holds the results of the owner's procedures): refused with a clear message.
    The filed dossier keeps its own copy, which is part of the agency's record."""
    item = store_item_get(owner, source, pk)  # 404 for anyone else's
    if source == RESULT or isinstance(item, Document):
        raise StoreError(_("Kết quả giải quyết thủ tục hành chính do cơ quan nhà nước cấp được lưu giữ trong kho, "
                           "không xóa được."))
    attachment_store_remove(item, by=owner)
    return item


def store_item_reuse(*, dossier: Dossier, component: Component, source: str, pk: int, by: User) -> Attachment:
    """Attach a paper of the dossier owner's store to `component` of `dossier` (the caller fetched
    the dossier through its flow's access helper). Only the owner's own store is ever read."""
    if dossier.owner is None:
        raise StoreError(_("Người nộp chưa có tài khoản nên chưa có kho giấy tờ."))
    item = store_item_get(dossier.owner, source, pk)  # 404 if not in the owner's store
    try:
        return attachment_reuse(dossier, component, source=item, by=by)
    except FilingError as exc:
        raise StoreError(exc.message) from exc


def store_item_keep(*, owner: User, pk: int) -> Attachment:
    """Keep a paper of one's own filed dossier in the store (the choice made after filing)."""
    attachment = keepable_attachment_get(owner, pk)  # 404 for anyone else's
    if attachment.is_reused:
        raise StoreError(_("Giấy tờ này được lấy từ kho, đã có trong «Giấy tờ của tôi»."))
    attachment_store_keep(attachment, by=owner)
    return attachment
