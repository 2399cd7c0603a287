"""Every notification the portal sends has its own English wording.

English-speaking users (preferred_language "en") get the English template; a missing or copied one would send them
Vietnamese. Covers the dossier events and the account messages (password reset, activation, used address); the
seed migrations (0003 onwards) write these defaults as the editable rows.
"""

from __future__ import annotations

import re

import pytest

from notifications.defaults import ACCOUNT_EVENTS, EVENTS, default_templates

# Letters only Vietnamese uses; template tags and variables are stripped first, names come from the context.
VIETNAMESE_LETTERS = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I)
TEMPLATE_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
DEFAULTS = {(event, channel, language): (subject, body)
            for event, channel, language, subject, body in default_templates()}
EVERY_EVENT = sorted({**EVENTS, **ACCOUNT_EVENTS})


@pytest.mark.parametrize("event", EVERY_EVENT)
def test_the_english_wording_is_english_and_not_a_copy_of_the_vietnamese(event):
    channels = {**EVENTS, **ACCOUNT_EVENTS}[event][0]
    for channel in channels:
        vi_subject, vi_body = DEFAULTS[(event, channel, "vi")]
        en_subject, en_body = DEFAULTS[(event, channel, "en")]
        assert en_body != vi_body and (en_subject != vi_subject or channel == "sms")
        text = TEMPLATE_SYNTAX.sub("", en_subject + "\n" + en_body)
        assert not VIETNAMESE_LETTERS.search(text), f"{event}/{channel}: Vietnamese left in the English text: {text!r}"

