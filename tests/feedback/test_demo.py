from __future__ import annotations

import pytest

from django.core.management import call_command

from feedback.models import Petition, Rating

pytestmark = pytest.mark.django_db


def test_the_demo_has_ratings_and_petitions_in_both_communes_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    ratings, petitions = Rating.objects.count(), Petition.objects.count()
    call_command("seed_demo", verbosity=0)
    assert (Rating.objects.count(), Petition.objects.count()) == (ratings, petitions)
    for eid in ("H99.01.01", "H99.01.02"):
        assert Rating.objects.filter(agency__eid_code=eid).exists()
        assert Petition.objects.filter(agency__eid_code=eid, published_at__isnull=False).exists()
        assert Petition.objects.filter(agency__eid_code=eid, status="received").exists()
