"""Every write to an improvement plan goes through these functions.

Pages and the API call them alike. Each one checks permission (plans.permissions),
checks that the action's status allows the change (actions.lifecycle, the one table of
transitions), writes in a transaction, leaves an audit entry and refreshes what derives
from the change: the action's RAG and its plan's counts (actions.plan_summaries), and
records one webhook event (actions.webhooks.events says why one explicit call per
service). Writes that change an action take `expected_version`: when
someone else saved first they raise `Conflict` instead of overwriting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import audit
from core.deadlines import default_action_due_date
from core.errors import Conflict, DomainError
from core.models import AuditEntry, Organisation, User
from core.validators import validate_single_line
from inspections.models import Recommendation, Timescale
from plans.models import Plan, Theme, WiderArea
from plans.permissions import can
from plans.themes import default_theme

from . import lifecycle, notifications, plan_summaries, rag
from .models import (
    Action,
    DueDateChange,
    Evidence,
    Measure,
    MeasureReading,
    ProgressUpdate,
    Rag,
    Status,
)
from .permissions import plan_organisations, possible_owners
from .uploads import check_evidence_file, evidence_link
from .webhooks import events as webhook_events
from .webhooks.models import EventType

AUDITED = [
    "title",
    "description",
    "owner",
    "organisation",
    "due_date",
    "status",
    "rag_override",
    "rag_override_reason",
    "expected_outcome",
    "resources",
    "risks",
    "signed_off_by",
    "closure_justification",
    "version",
]
EDITABLE = ["title", "description", "expected_outcome", "resources", "risks", "organisation"]


def require(user: User, permission: str, obj: Any = None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def _locked(action: Action, expected_version: int | None) -> Action:
    """The action re-read under a row lock, refusing a stale version."""
    current = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(current)
    return current


def _refresh_derived(action: Action) -> None:
    """The action's RAG, then its plan's counts (which include that RAG)."""
    rag.refresh_rag(action, timezone.localdate())
    plan_summaries.refresh_for(action)


def _save(action: Action, by: User, verb: str, before: dict, summary: str = "") -> Action:
    action.version += 1
    action.save()
    audit.record(
        actor=by,
        verb=verb,
        obj=action,
        summary=summary or f"{verb}: {action.title}",
        before=before,
        after=audit.snapshot(action, AUDITED),
    )
    _refresh_derived(action)
    return action


def _event(action: Action, event_type: EventType, by: User, item: Any = None) -> None:
    webhook_events.action_changed(action=action, event_type=event_type, by=by, item=item)


def _required(text: str, what: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"Enter {what}.", field=field)
    return text


def _single_line(text: str, field: str) -> str:
    """The model's one-line rule (core.validators), for callers that come through no form
    or serializer, such as the tracker import."""
    try:
        validate_single_line(text)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None
    return text


NOT_A_PLAN_ORGANISATION = "Choose the council or one of its partner organisations."
NOT_A_POSSIBLE_OWNER = (
    "Choose an action owner of the council or of one of its partner organisations."
)


def _check_organisation(organisation: Organisation | None, authority_id: int) -> None:
    """An action names only its plan's council or a partner (plan_organisations): any
    other organisation, existing or not, gets the same answer."""
    if organisation is not None and not (
        plan_organisations(authority_id).filter(pk=organisation.pk).exists()
    ):
        raise DomainError(NOT_A_PLAN_ORGANISATION, field="organisation")


def default_due_date(
    *, recommendations: Iterable[Recommendation] = (), today: dt.date | None = None
) -> dt.date:
    """The due date an action answering `recommendations` gets when none is given: the
    soonest their timescales give (core.deadlines says how); for an action answering a
    wider area only, the default for "no timescale". The draft page shows it before
    saving, and the API uses it."""
    today = today or timezone.localdate()
    dates = [
        default_action_due_date(
            r.timescale, report_date=r.inspection.effective_received_date, today=today
        )
        for r in recommendations
    ]
    return min(
        dates, default=default_action_due_date(Timescale.NONE, report_date=None, today=today)
    )


NOT_THE_PLANS_ITEMS = "Choose items of this plan's reports and letters."
NOTHING_ANSWERED = (
    "Choose the items this action answers, or the wider area for improvement it answers."
)


def check_answers(
    plan: Plan,
    recommendations: Iterable[Recommendation],
    wider_area: WiderArea | None,
    theme: Theme | None,
) -> list[Recommendation]:
    """What an action answers must be the plan's own: items of its sources, one of its
    wider areas, one of its themes; and it answers something."""
    recommendations = list(recommendations)
    if any(r.inspection.plan_id != plan.pk for r in recommendations):
        raise DomainError(NOT_THE_PLANS_ITEMS, field="recommendations")
    if wider_area is not None and wider_area.plan_id != plan.pk:
        raise DomainError("Choose one of this plan's wider areas.", field="wider_area")
    if theme is not None and theme.plan_id != plan.pk:
        raise DomainError("Choose one of this plan's themes.", field="theme")
    if not recommendations and wider_area is None:
        raise DomainError(NOTHING_ANSWERED, field="recommendations")
    return recommendations


@transaction.atomic
def draft_action(
    *,
    plan: Plan,
    by: User,
    title: str,
    recommendations: Iterable[Recommendation] = (),
    wider_area: WiderArea | None = None,
    theme: Theme | None = None,
    description: str = "",
    due_date: dt.date | None = None,
    expected_outcome: str = "",
    resources: str = "",
    risks: str = "",
    organisation: Organisation | None = None,
) -> Action:
    """A new action of a plan answering items of its sources, or a wider area for
    improvement it records. The due date defaults from the items' timescales
    (default_due_date); the theme from their national framework cross-reference
    (plans.themes.default_theme)."""
    require(by, "actions.draft_action", plan)
    recommendations = check_answers(plan, recommendations, wider_area, theme)
    _check_organisation(organisation, plan.local_authority_id)
    if due_date is None:
        due_date = default_due_date(recommendations=recommendations)
    if theme is None:
        theme = default_theme(plan, recommendations) or (wider_area.theme if wider_area else None)
    action = Action.objects.create(
        plan=plan,
        wider_area=wider_area,
        theme=theme,
        title=_single_line(_required(title, "what will be done", "title"), "title"),
        description=description.strip(),
        due_date=due_date,
        expected_outcome=expected_outcome.strip(),
        resources=resources.strip(),
        risks=risks.strip(),
        organisation=organisation,
        order=(plan.actions.aggregate(last=Max("order"))["last"] or 0) + 1,
    )
    action.recommendations.set(recommendations)
    audit.record(
        actor=by,
        verb="draft",
        obj=action,
        after={
            **audit.snapshot(action, AUDITED),
            "recommendations": [r.pk for r in recommendations],
        },
    )
    _refresh_derived(action)
    _event(action, EventType.ACTION_CREATED, by)
    return action


@transaction.atomic
def update_details(
    *, action: Action, by: User, expected_version: int | None, **fields: Any
) -> Action:
    """Change what will be done, the expected outcome, resources, risks or organisation."""
    require(by, lifecycle.permission("edit"), action)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    action = _locked(action, expected_version)
    lifecycle.check(action, "edit")
    before = audit.snapshot(action, AUDITED)
    for name, value in fields.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    _single_line(_required(action.title, "what will be done", "title"), "title")
    if "organisation" in fields:
        _check_organisation(action.organisation, action.plan.local_authority_id)
    _save(action, by, "update", before)
    _event(action, EventType.ACTION_UPDATED, by)
    return action


@transaction.atomic
def change_answers(
    *,
    action: Action,
    by: User,
    recommendations: Iterable[Recommendation],
    wider_area: WiderArea | None = None,
    theme: Theme | None = None,
    expected_version: int | None = None,
) -> Action:
    """Change what an action answers: items of any of its plan's sources, a wider area,
    and the theme it is filed under."""
    require(by, lifecycle.permission("edit"), action)
    action = _locked(action, expected_version)
    lifecycle.check(action, "edit")
    recommendations = check_answers(action.plan, recommendations, wider_area, theme)
    before = {
        **audit.snapshot(action, ["wider_area_id", "theme_id"]),
        "recommendations": sorted(action.recommendations.values_list("pk", flat=True)),
    }
    action.wider_area, action.theme = wider_area, theme
    action.recommendations.set(recommendations)
    action.version += 1
    action.save()
    audit.record(
        actor=by,
        verb="answers",
        obj=action,
        summary="Changed what the action answers",
        before=before,
        after={
            **audit.snapshot(action, ["wider_area_id", "theme_id"]),
            "recommendations": sorted(r.pk for r in recommendations),
        },
    )
    _event(action, EventType.ACTION_UPDATED, by)
    return action


@transaction.atomic
def assign_owner(
    *,
    action: Action,
    by: User,
    owner: User,
    organisation: Organisation | None = None,
    expected_version: int | None = None,
) -> Action:
    """A director names the responsible officer, who is told by e-mail."""
    require(by, lifecycle.permission("assign"), action)
    # One answer whoever the person is: not an owner, inactive, of another council.
    authority_id = action.plan.local_authority_id
    if not possible_owners(authority_id).filter(pk=owner.pk).exists():
        raise DomainError(NOT_A_POSSIBLE_OWNER, field="owner")
    _check_organisation(organisation, authority_id)
    action = _locked(action, expected_version)
    lifecycle.check(action, "assign")
    before = audit.snapshot(action, AUDITED)
    action.owner = owner
    action.organisation = organisation or owner.organisation or action.organisation
    action.assigned_by = by
    action.assigned_at = timezone.now()
    _save(action, by, "assign", before, f"Assigned to {owner}")
    notifications.owner_assigned_on_commit(action.pk)
    _event(action, EventType.OWNER_ASSIGNED, by)
    return action


@transaction.atomic
def move_due_date(
    *,
    action: Action,
    by: User,
    new_date: dt.date,
    reason: str,
    expected_version: int | None = None,
) -> Action:
    """A director moves the due date; the reason and the old date are kept."""
    require(by, lifecycle.permission("move-date"), action)
    reason = _required(reason, "why the date is moving", "reason")
    action = _locked(action, expected_version)
    lifecycle.check(action, "move-date")
    if new_date == action.due_date:
        raise DomainError("The new date is the same as the current one.", field="new_date")
    before = audit.snapshot(action, AUDITED)
    DueDateChange.objects.create(
        action=action, old_date=action.due_date, new_date=new_date, reason=reason, changed_by=by
    )
    action.due_date = new_date
    _save(action, by, "move_due_date", before, f"Due date moved to {new_date}: {reason}")
    _event(action, EventType.DUE_DATE_MOVED, by)
    return action


def rag_override_choices(action: Action) -> list[Rag]:
    """The RAGs a director may set by hand on `action`.

    Blue tells a committee the loop is closed: only an action closed and signed off may
    show it, so that no one can report work as finished that no director approved.
    """
    choices = [Rag.RED, Rag.AMBER, Rag.GREEN]
    if action.status == Status.CLOSED and action.signed_off_by_id is not None:
        choices.append(Rag.BLUE)
    return choices


RAG_REASON_NEEDED = "Enter why you are setting the RAG by hand"
BLUE_ONLY_WHEN_CLOSED = (
    "Select red, amber or green: blue is only for an action that is closed and signed off"
)


@transaction.atomic
def override_rag(
    *, action: Action, by: User, rag_value: str, reason: str, expected_version: int | None = None
) -> Action:
    """A director sets the RAG by hand (with a reason) or clears the override ("").

    Blue only on a closed, signed-off action (rag_override_choices).
    """
    require(by, lifecycle.permission("rag"), action)
    if rag_value and rag_value not in Rag.values:
        raise DomainError("Select red, amber, green or blue", field="rag")
    reason = reason.strip()
    if rag_value and not reason:
        raise DomainError(RAG_REASON_NEEDED, field="reason")
    action = _locked(action, expected_version)
    lifecycle.check(action, "rag")
    if rag_value and rag_value not in rag_override_choices(action):
        raise DomainError(BLUE_ONLY_WHEN_CLOSED, field="rag")
    before = audit.snapshot(action, AUDITED)
    action.rag_override = rag_value
    action.rag_override_reason = reason if rag_value else ""
    _save(action, by, "override_rag", before)
    _event(action, EventType.RAG_OVERRIDDEN, by)
    return action


@transaction.atomic
def record_progress(
    *, action: Action, by: User, text: str, expected_version: int | None = None
) -> ProgressUpdate:
    """An owner or policy officer records progress; a first update starts the action."""
    require(by, lifecycle.permission("progress"), action)
    text = _required(text, "the progress made", "text")
    action = _locked(action, expected_version)
    status = lifecycle.check(action, "progress").status_after(action.status)
    update = ProgressUpdate.objects.create(action=action, author=by, text=text)
    if status != action.status:
        before = audit.snapshot(action, AUDITED)
        action.status = status
        _save(action, by, "progress", before, "Progress recorded; action started")
    else:
        audit.record(actor=by, verb="progress", obj=update, summary=text[:200])
        _refresh_derived(action)
    _event(action, EventType.PROGRESS_RECORDED, by, update)
    return update


@transaction.atomic
def add_evidence(
    *,
    action: Action,
    by: User,
    description: str,
    file: UploadedFile | None = None,
    link: str = "",
) -> Evidence:
    """Evidence is a checked file (stored under a random name) or a link, described."""
    require(by, lifecycle.permission("evidence"), action)
    description = _required(description, "what the evidence shows", "description")
    link = (link or "").strip()
    if not file and not link:
        raise DomainError("Choose a file or enter a link.", field="file")
    if link:
        link = evidence_link(link)
    lifecycle.check(action, "evidence")
    evidence = Evidence(action=action, description=description, link=link, added_by=by)
    if file:
        evidence.content_type = check_evidence_file(file)
        evidence.original_filename = (file.name or "evidence")[-255:]
        evidence.size = file.size
        evidence.file.save(file.name or "evidence", file, save=False)
    evidence.save()
    audit.record(actor=by, verb="add_evidence", obj=evidence, summary=description[:200])
    _event(action, EventType.EVIDENCE_ADDED, by, evidence)
    return evidence


@transaction.atomic
def add_measure(
    *,
    action: Action,
    by: User,
    name: str,
    baseline: Decimal,
    target: Decimal,
    direction: str,
    unit: str = "",
    baseline_date: dt.date | None = None,
) -> Measure:
    """How we will know: a measure with baseline and target."""
    require(by, lifecycle.permission("measure"), action)
    lifecycle.check(action, "measure")
    if direction not in Measure.Direction.values:
        raise DomainError("Choose whether higher or lower is better.", field="direction")
    if baseline == target:
        raise DomainError("The target must differ from the baseline.", field="target")
    measure = Measure.objects.create(
        action=action,
        name=_single_line(_required(name, "the measure's name", "name"), "name"),
        unit=_single_line(unit.strip(), "unit"),
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        direction=direction,
    )
    audit.record(actor=by, verb="add_measure", obj=measure, summary=measure.name)
    plan_summaries.refresh_for(action)  # one more measure without a reading
    _event(action, EventType.MEASURE_ADDED, by, measure)
    return measure


@transaction.atomic
def record_reading(
    *, measure: Measure, by: User, date: dt.date, value: Decimal, note: str = ""
) -> MeasureReading:
    """A dated reading of a measure; one per measure and day."""
    require(by, lifecycle.permission("reading"), measure.action)
    lifecycle.check(measure.action, "reading")
    if date > timezone.localdate():
        raise DomainError("A reading cannot be dated in the future.", field="date")
    try:
        with transaction.atomic():
            reading = MeasureReading.objects.create(
                measure=measure, date=date, value=value, note=note.strip(), recorded_by=by
            )
    except IntegrityError:
        raise DomainError(
            f"There is already a reading for {date:%-d %B %Y}.", field="date"
        ) from None
    audit.record(actor=by, verb="record_reading", obj=reading, summary=f"{measure.name}: {value}")
    _refresh_derived(measure.action)
    _event(measure.action, EventType.READING_RECORDED, by, reading)
    return reading


def completion_note_needed(action: Action) -> bool:
    """Whether marking `action` complete needs a note of what was done: yes while no
    progress stands recorded (returned updates do not count), so that no action is
    complete on one click with nothing to show a director what was delivered."""
    return not action.progress_updates.filter(returned_at__isnull=True).exists()


@transaction.atomic
def mark_complete(
    *, action: Action, by: User, note: str = "", expected_version: int | None = None
) -> Action:
    """The owner or an officer says the work is done, with a note of what was done
    (completion_note_needed says when it is required); the note is kept as progress."""
    require(by, lifecycle.permission("complete"), action)
    note = (note or "").strip()
    action = _locked(action, expected_version)
    transition = lifecycle.check(action, "complete")
    if not note and completion_note_needed(action):
        raise DomainError("Enter what was done", field="note")
    before = audit.snapshot(action, AUDITED)
    if note:
        ProgressUpdate.objects.create(action=action, author=by, text=f"Completed: {note}")
    action.status = transition.to_status
    action.completed_at = timezone.now()
    _save(action, by, "complete", before)
    _event(action, EventType.COMPLETED, by)
    return action


def _has_impact(action: Action) -> bool:
    """True when every measure's latest reading is at or beyond its target."""
    measures = list(action.measures.prefetch_related("readings"))
    if not measures:
        return False
    for measure in measures:
        readings = sorted(measure.readings.all(), key=lambda r: (r.date, r.pk))
        if not readings or not measure.meets_target(readings[-1].value):
            return False
    return True


@transaction.atomic
def submit_impact(
    *, action: Action, by: User, summary: str, expected_version: int | None = None
) -> Action:
    """The owner says the difference is made: a reading or evidence must back it."""
    require(by, lifecycle.permission("impact"), action)
    summary = _required(summary, "the difference the action has made", "summary")
    action = _locked(action, expected_version)
    transition = lifecycle.check(action, "impact")
    has_reading = MeasureReading.objects.filter(measure__action=action).exists()
    has_evidence = action.evidence.filter(returned_at__isnull=True).exists()
    if not (has_reading or has_evidence):
        raise DomainError("Record a measure reading or add evidence before submitting impact.")
    before = audit.snapshot(action, AUDITED)
    ProgressUpdate.objects.create(action=action, author=by, text=f"Impact: {summary}")
    action.status = transition.to_status
    _save(action, by, "submit_impact", before, summary)
    _event(action, EventType.IMPACT_SUBMITTED, by)
    return action


def took_part_since_reopened(action: Action) -> set[int]:
    """Ids of the people who completed the action, submitted its impact or owned it since
    it was last reopened (or created): none of them may sign it off (four eyes).

    Read from the action's audit entries, which services write at every change and never
    edit: a reassignment just before signing off cannot hide who did the work.
    """
    entries = AuditEntry.objects.filter(object_type="actions.action", object_id=str(action.pk))
    reopened = entries.filter(verb="reopen").order_by("-id").values_list("id", flat=True).first()
    if reopened is not None:
        entries = entries.filter(id__gte=reopened)  # the reopening names the owner then
    people = {action.owner_id}
    for verb, actor_id, before, after in entries.values_list("verb", "actor_id", "before", "after"):
        if verb in ("complete", "submit_impact"):
            people.add(actor_id)
        people |= {(before or {}).get("owner"), (after or {}).get("owner")}
    return {person for person in people if person is not None}


@transaction.atomic
def sign_off(
    *, action: Action, by: User, justification: str = "", expected_version: int | None = None
) -> Action:
    """A director who took no part in the work closes the loop (four eyes: see
    took_part_since_reopened).

    Needs every measure at or beyond target, or the director's recorded justification.
    """
    require(by, lifecycle.permission("sign-off"), action)
    action = _locked(action, expected_version)
    if action.owner_id == by.pk:
        raise PermissionDenied("You cannot sign off an action you own.")
    if by.pk in took_part_since_reopened(action):
        raise DomainError(
            "You completed this action, submitted its impact or owned it since it was "
            "last reopened: another director must sign it off."
        )
    transition = lifecycle.check(action, "sign-off")
    justification = justification.strip()
    if not _has_impact(action) and not justification:
        raise DomainError(
            "The measures have not reached their targets: record why you are signing off anyway.",
            field="justification",
        )
    before = audit.snapshot(action, AUDITED)
    action.status = transition.to_status
    action.signed_off_by = by
    action.signed_off_at = timezone.now()
    action.closure_justification = justification
    _save(action, by, "sign_off", before)
    _event(action, EventType.SIGNED_OFF, by)
    return action


@transaction.atomic
def reopen(*, action: Action, by: User, reason: str, expected_version: int | None = None) -> Action:
    require(by, lifecycle.permission("reopen"), action)
    reason = _required(reason, "why the action is reopened", "reason")
    action = _locked(action, expected_version)
    transition = lifecycle.check(action, "reopen")
    before = audit.snapshot(action, AUDITED)
    ProgressUpdate.objects.create(action=action, author=by, text=f"Reopened: {reason}")
    if action.rag_override == Rag.BLUE:
        # Blue by hand said "closed and signed off", which is no longer true.
        action.rag_override, action.rag_override_reason = "", ""
    action.status = transition.to_status
    action.completed_at = None
    action.signed_off_by = None
    action.signed_off_at = None
    action.closure_justification = ""
    _save(action, by, "reopen", before, reason)
    _event(action, EventType.REOPENED, by)
    return action


@transaction.atomic
def return_item(*, item: ProgressUpdate | Evidence, by: User, comment: str) -> None:
    """A director returns a progress update or evidence to its author with a comment.

    The item stays in the history, marked as returned. Returning evidence of an action
    whose impact was submitted sends the action back to complete.
    """
    action = item.action
    require(by, "actions.return_item", action)
    comment = _required(comment, "what needs to change", "comment")
    if item.returned_at:
        raise DomainError("This has already been returned.")
    item.returned_by, item.returned_at, item.return_comment = by, timezone.now(), comment
    item.save(update_fields=["returned_by", "returned_at", "return_comment"])
    audit.record(actor=by, verb="return", obj=item, summary=comment[:200])
    locked = _locked(action, None)
    if isinstance(item, Evidence) and locked.status == Status.IMPACT_EVIDENCED:
        before = audit.snapshot(locked, AUDITED)
        locked.status = Status.COMPLETE
        _save(locked, by, "return_impact", before, comment)
    else:
        _refresh_derived(locked)
    author_id = item.author_id if isinstance(item, ProgressUpdate) else item.added_by_id
    notifications.item_returned_on_commit(action.pk, author_id, comment)
    _event(action, EventType.ITEM_RETURNED, by, item)
