from __future__ import annotations

import pytest

from accounts.models import Agency
from payments import demo
from payments.models import AgencyPaymentConfig
from payments.providers.registry import provider_for_agency

pytestmark = pytest.mark.django_db


def test_seeding_twice_configures_the_demo_communes_once(commune, other_commune):
    assert len(demo.seed()) == 2
    assert demo.seed() == []
    assert AgencyPaymentConfig.objects.count() == 2
    assert provider_for_agency(Agency.objects.get(eid_code="H99.01.01")).id == "sandbox"
