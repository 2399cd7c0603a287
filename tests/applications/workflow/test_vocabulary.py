"""One definition per word of the lifecycle: events, in-person steps, the clock's state sets, and the
guards that both the services and the back-office buttons use."""

from __future__ import annotations

import uuid

import pytest

from django.utils import timezone

from applications import deadlines, forms_officer, notifications, presentation, workflow
from applications.models import (
    CLOCK_RUNNING_STATES,
    DossierEvent,
    Event,
    InPersonStep,
    Status,
)
from portal.lib.text import as_uuid
from tests.applications.workflow.conftest import call, drive, new_draft


def test_every_transition_records_a_declared_event_and_has_its_words():
    for action, rule in workflow.TRANSITIONS.items():
        assert isinstance(rule.event, Event), action
        assert str(rule.label) and str(rule.button), action
        assert presentation.ACTION_LABELS[action] == rule.button
    assert dict(DossierEvent._meta.get_field("action").choices) == dict(Event.choices)
    assert set(notifications.ROUTES) - notifications.FILE_NOTICES <= set(Event.values)


def test_the_timeline_words_are_the_event_labels(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    event = dossier.events.latest("pk")
    assert presentation.event_label(event) == Event.RECEIVED.label


def test_in_person_steps_are_one_list_for_the_form_the_service_and_the_timeline(cast, partial_version, commune,
                                                                               citizen):
    assert forms_officer.InPersonStepForm().fields["kind"].choices == InPersonStep.choices
    dossier = drive(new_draft(partial_version, commune, citizen), Status.RECEIVED, cast)
    workflow.dossier_record_in_person_step(dossier, actor=cast.officer, kind=InPersonStep.SITE_CHECK, note="Đã xác minh")
    assert presentation.event_label(dossier.events.latest("pk")) == InPersonStep.SITE_CHECK.label
    with pytest.raises(workflow.WorkflowError):
        workflow.dossier_record_in_person_step(dossier, actor=cast.officer, kind="unknown", note="")


def test_the_clock_states_are_one_set_and_an_apology_is_possible_while_a_stop_request_waits(cast, version, commune,
                                                                                          citizen):
    assert deadlines.CLOCK_RUNNING_STATES is CLOCK_RUNNING_STATES
    assert workflow.TRANSITIONS["apologise"].from_states == CLOCK_RUNNING_STATES
    assert not hasattr(notifications, "DEADLINE_STATES") and not hasattr(workflow, "CLOCK_RUNNING")
    # The clock runs while the leader considers a stop request, so the one-day apology rule still applies.
    dossier = drive(new_draft(version, commune, citizen), Status.STOP_REQUESTED, cast)
    assert deadlines.deadline_clock(dossier, []).is_running
    assert "apologise" in workflow.dossier_actions_available(dossier, cast.specialist)
    call("apologise", dossier, cast)
    assert dossier.status == Status.STOP_REQUESTED and dossier.apology


@pytest.mark.parametrize(("action", "start", "first"), [
    ("request_supplement", Status.PROCESSING, "request_supplement"),
    ("request_completion", Status.SUBMITTED, None),
    ("apologise", Status.PROCESSING, "apologise"),
])
def test_a_guard_hides_the_button_and_refuses_the_service_with_the_same_words(action, start, first, cast, version,
                                                                             commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), start, cast)
    if first:
        call(first, dossier, cast)
    else:  # a completion request once, then the resubmission
        call("request_completion", dossier, cast)
        workflow.dossier_submit(dossier, actor=citizen)
    actor = {"request_supplement": cast.specialist, "request_completion": cast.officer}.get(action, cast.officer)
    if action == "request_supplement":
        call("supplement", dossier, cast)

    assert action not in workflow.dossier_actions_available(dossier, actor)
    guard = workflow.TRANSITIONS[action].guard
    with pytest.raises(workflow.WorkflowError) as refused:
        call(action, dossier, cast, actor=actor)
    assert refused.value.message == guard(dossier, timezone.now())


def test_the_back_office_no_longer_passes_flags_to_list_the_actions():
    import inspect

    parameters = inspect.signature(workflow.dossier_actions_available).parameters
    assert not [name for name in parameters if name.startswith("has_")]


@pytest.mark.parametrize(("value", "expected"), [
    ("", None), (None, None), ("not-a-uuid", None), ("0" * 31, None),
    ("12345678-1234-5678-1234-567812345678", uuid.UUID("12345678-1234-5678-1234-567812345678")),
    (uuid.UUID(int=7), uuid.UUID(int=7)),
])
def test_untrusted_tokens_become_a_uuid_or_none(value, expected):
    assert as_uuid(value) == expected
