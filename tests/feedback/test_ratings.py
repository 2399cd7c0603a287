"""Satisfaction ratings: the signed link in the result notification, once per dossier, within the
window, anonymous; and the counter tablet mode."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.models import Dossier
from feedback.models import Rating, RatingChannel
from tests.feedback.conftest import rating_path

pytestmark = pytest.mark.django_db

ANSWERS = {"total_time": "2", "contacts": "2", "agencies": "1", "conduct": "2", "disclosure": "1", "online": "2",
           "overall": "5", "comment": "Cán bộ nhiệt tình"}


def test_the_result_notification_carries_a_signed_link_that_rates_without_an_account(client, returned_dossier):
    path = rating_path(returned_dossier)
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Đăng ký khai sinh" in body
    assert returned_dossier.applicant_name not in body  # no personal data on the page

    response = client.post(path, ANSWERS)

    assert response.status_code == 302 and response["Location"] == reverse("feedback:rate-thanks")
    rating = Rating.objects.get()
    assert (rating.dossier_id, rating.agency_id, rating.overall, rating.total_time, rating.petitions) == (
        returned_dossier.pk, returned_dossier.agency_id, 5, 2, None)
    assert rating.channel == RatingChannel.LINK


def test_a_dossier_is_rated_once(client, returned_dossier):
    path = rating_path(returned_dossier)
    client.post(path, ANSWERS)
    again = client.post(path, {**ANSWERS, "overall": "1"})
    assert again.status_code == 200
    assert "chỉ được đánh giá một lần" in again.content.decode()
    assert list(Rating.objects.values_list("overall", flat=True)) == [5]


def test_the_link_stops_working_after_the_configured_window(client, settings, returned_dossier):
    path = rating_path(returned_dossier)
    settings.FEEDBACK_RATING_WINDOW_DAYS = 30
    Dossier.objects.filter(pk=returned_dossier.pk).update(returned_at=timezone.now() - timedelta(days=31))
    response = client.post(path, ANSWERS)
    assert "Đã quá thời hạn đánh giá" in response.content.decode()
    assert not Rating.objects.exists()
    settings.FEEDBACK_RATING_WINDOW_DAYS = 40
    assert client.post(path, ANSWERS).status_code == 302


@pytest.mark.parametrize("token", ["x", "abc:def:ghi"])
def test_a_forged_token_opens_nothing(client, returned_dossier, token):
    response = client.get(reverse("feedback:rate", args=[token]))
    assert response.status_code == 404
    assert returned_dossier.code not in response.content.decode()


def test_a_token_for_another_purpose_is_refused(client, returned_dossier):
    from portal.lib.signed_links import signed_link_token

    token = signed_link_token("something-else", returned_dossier.code)
    assert client.get(reverse("feedback:rate", args=[token])).status_code == 404


def test_scores_outside_the_scale_are_refused(client, returned_dossier):
    path = rating_path(returned_dossier)
    response = client.post(path, {**ANSWERS, "overall": "9", "conduct": "3"})
    assert response.status_code == 200
    assert not Rating.objects.exists()


def test_the_counter_tablet_records_a_rating_for_the_walk_in(client, officer, returned_dossier):
    client.force_login(officer)
    url = reverse("feedback:counter-rate", args=[returned_dossier.code])
    page = client.get(url).content.decode()
    assert "máy tính bảng" in page and returned_dossier.applicant_name not in page
    assert "data-rating-qr" in page  # the citizen may scan the signed link with their own phone
    assert client.post(url, ANSWERS).status_code == 302
    assert Rating.objects.get().channel == RatingChannel.COUNTER


def test_the_citizen_reaches_the_rating_page_from_their_own_dossier(client, citizen, returned_dossier):
    client.force_login(citizen)
    response = client.get(reverse("feedback:rate-own", args=[returned_dossier.code]))
    assert response.status_code == 302
    assert client.post(response["Location"], ANSWERS).status_code == 302
    assert Rating.objects.filter(dossier=returned_dossier).exists()


def test_ratings_are_stored_without_a_person():
    names = {field.name for field in Rating._meta.get_fields()}
    assert not names & {"user", "owner", "citizen", "rated_by", "applicant_name"}


def test_rating_posts_through_links_are_throttled_per_address(client, settings, returned_dossier):
    settings.FEEDBACK_LOOKUP_RATE_LIMIT = 1
    path = rating_path(returned_dossier)
    assert client.post(path, {**ANSWERS, "overall": "9"}).status_code == 200  # invalid, but counted
    assert client.post(path, ANSWERS).status_code == 429
    assert not Rating.objects.exists()


def test_a_result_delivered_by_post_also_carries_the_rating_link(client, citizen, commune):
    from applications.models import Status
    from applications.workflow import dossier_postal_delivered
    from notifications.models import Notification
    from tests.factories import make_dossier, make_procedure
    from tests.feedback.conftest import RATING_LINK

    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.SENT_BY_POST)
    dossier_postal_delivered(dossier, delivered_at=timezone.now())
    sms = Notification.objects.get(event="postal_delivered", channel="sms")
    path = "/danh-gia/" + RATING_LINK.search(sms.body).group(1) + "/"
    assert client.post(path, ANSWERS).status_code == 302
    assert Rating.objects.get().dossier_id == dossier.pk
