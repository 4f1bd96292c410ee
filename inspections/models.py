from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core import deadlines
from core.errors import DomainError
from core.models import Organisation


class InspectionType(models.TextChoices):
    JOINT_AREA_REVIEW = "joint_area_review", "Joint area review"
    SAFEGUARDING_LAC = "safeguarding_lac", "Safeguarding and looked after children (2009–12)"
    LOOKED_AFTER_CHILDREN = "looked_after_children", "Looked after children (2012–13)"
    SIF = "sif", "Single inspection framework"
    ILACS = "ilacs", "Inspection of local authority children's services"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    JTAI = "jtai", "Joint targeted area inspection"
    SEND_AREA = "send_area", "Area SEND inspection"
    OTHER = "other", "Other"


class Timescale(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    THREE_MONTHS = "three_months", "Within three months"
    SIX_MONTHS = "six_months", "Within six months"
    LONGER_TERM = "longer_term", "Longer term"
    NONE = "none", "None given"


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement / adequate"
    INADEQUATE = "inadequate", "Inadequate"


class GradeScale(models.TextChoices):
    WORDS = "words", "Words (outstanding … inadequate)"
    JAR_4_HIGH = "jar_4_high", "Joint area review numbers (4 = outstanding)"
    GRADE_1_HIGH = "grade_1_high", "Grades 1–4 (1 = outstanding)"
    OUTCOME = "outcome", "Inspection outcome (not a grade)"


class FrameworkKind(models.TextChoices):
    """What a 2025+ report's national framework cross-reference points at."""

    OUTCOME = "outcome", "Outcome"
    ENABLER = "enabler", "Enabler"
    PRINCIPLE = "principle", "Principle"


class DeadlineBasis(models.TextChoices):
    FORMULA = "formula", "Working days from receipt"
    STATED = "stated", "Date stated in the report"
    OVERRIDE = "override", "Set by a policy officer"


def source_upload_to(instance: Inspection, filename: str) -> str:
    """A fixed server-side name: the officer's file name is kept only as data."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"reports/{uuid.uuid4().hex}{suffix}"


# Why a report asks for no plan of its own (Inspection.no_plan_because).
NO_PLAN_BECAUSE = {
    InspectionType.MONITORING_VISIT: "a monitoring visit letter records progress",
    InspectionType.FOCUSED_VISIT: "a focused visit that names no areas for priority action",
    # What such a report does ask: "Ofsted and the CQC ask that the local area partnership
    # updates and publishes its strategic plan", with no date and nothing to submit.
    InspectionType.SEND_AREA: "an area SEND inspection that names no areas for priority action "
    "(it asks the partnership to update and publish its strategic plan, by no set date)",
}


# The kinds of report that may ask for no plan of their own, each with the fact that
# makes it ask for one after all (None: it never does). One table for the property
# (Inspection.no_plan_because) and the query (asks_for_a_plan).
ASKS_FOR_A_PLAN_WHEN = {
    InspectionType.MONITORING_VISIT: None,
    InspectionType.FOCUSED_VISIT: "draft_plan_required",
    InspectionType.SEND_AREA: "names_priority_actions",
}

# The dates that name a report's time, first known first: its publication, else when the
# council received it (most ILACS and area SEND PDFs print no publication date), else its
# inspection. One list for the property (Inspection.year) and the query (report_date).
REPORT_DATES = ("publication_date", "received_date", "inspection_end", "inspection_start")


def asks_for_a_plan(path: str = "") -> models.Q:
    """`Inspection.asks_for_a_plan` as a query; `path` leads to the report ("plan__…")."""
    asks_none = models.Q()
    for kind, unless in ASKS_FOR_A_PLAN_WHEN.items():
        this_kind = models.Q(**{f"{path}inspection_type": kind})
        if unless is not None:
            this_kind &= models.Q(**{f"{path}{unless}": False})
        asks_none |= this_kind
    return ~asks_none


def report_date(path: str = "") -> Coalesce:
    """The date that names a report's time (REPORT_DATES) as a query expression;
    `path` leads to the report from the rows queried ("inspection__" for its items)."""
    return Coalesce(*(f"{path}{name}" for name in REPORT_DATES))


# An area SEND inspection's worst outcome, which always comes with areas for priority
# action and a priority action plan to submit.
WORST_SEND_OUTCOME = "widespread and/or systemic failings"


def names_priority_actions(priorities: Iterable[bool], outcomes: Iterable[str]) -> bool:
    """Whether a report names areas for priority action: one of its items is one, or its
    outcome is an area SEND inspection's worst (so that a priority action plan is asked
    for even if the areas were not read as items)."""
    return any(priorities) or any(
        WORST_SEND_OUTCOME in " ".join(text.split()).lower() for text in outcomes
    )


def draft_plan_required(inspection_type: str, priorities: Iterable[bool]) -> bool:
    """A focused visit that names areas for priority action asks for a draft plan too."""
    return inspection_type == InspectionType.FOCUSED_VISIT and any(priorities)


class InspectionQuerySet(models.QuerySet):
    def with_counts(self) -> InspectionQuerySet:
        return self.annotate(recommendation_count=models.Count("recommendations"))


class Inspection(models.Model):
    local_authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inspections"
    )
    # The improvement plan this report is a source of; empty for a report held as history
    # (its items are still compared with later ones, see inspections.repeats).
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    inspection_type = models.CharField(max_length=32, choices=InspectionType.choices)
    title = models.CharField(max_length=300, blank=True)
    inspection_start = models.DateField(null=True, blank=True)
    inspection_end = models.DateField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    received_date = models.DateField(
        null=True, blank=True, help_text="When the council received the final report."
    )
    lead_inspector = models.CharField(max_length=200, blank=True)

    source_file = models.FileField(upload_to=source_upload_to, blank=True)
    source_filename = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    # Deadlines: dates the report states, a policy officer's override, and the result.
    stated_plan_due_date = models.DateField(null=True, blank=True)
    stated_draft_plan_due_date = models.DateField(null=True, blank=True)
    draft_plan_required = models.BooleanField(default=False)
    # Whether any of its items is an area for priority action: a focused visit or an area
    # SEND inspection asks for a plan only then (asks_for_a_plan).
    names_priority_actions = models.BooleanField(default=False)
    plan_due_override = models.DateField(null=True, blank=True)
    plan_due_override_reason = models.TextField(blank=True)
    draft_plan_due_override = models.DateField(null=True, blank=True)
    draft_plan_due_override_reason = models.TextField(blank=True)
    plan_due_date = models.DateField(null=True, blank=True, db_index=True, editable=False)
    plan_due_basis = models.CharField(max_length=10, choices=DeadlineBasis.choices, blank=True)
    draft_plan_due_date = models.DateField(null=True, blank=True, editable=False)
    draft_plan_due_basis = models.CharField(
        max_length=10, choices=DeadlineBasis.choices, blank=True
    )
    plan_submitted_at = models.DateTimeField(null=True, blank=True)
    # When the council sent the draft plan a focused visit asks for (no document of this
    # service need be generated for it: a draft is often a letter); ends its reminders.
    draft_plan_sent_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_sha256"],
                condition=~models.Q(source_sha256=""),
                name="inspection_unique_source_file",
            ),
            models.CheckConstraint(
                condition=models.Q(inspection_end__isnull=True)
                | models.Q(inspection_start__isnull=True)
                | models.Q(inspection_end__gte=models.F("inspection_start")),
                name="inspection_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_authority} — {self.kind_and_year}"

    def get_absolute_url(self) -> str:
        return reverse("inspection-detail", args=[self.pk])

    @property
    def year(self) -> int | None:
        """The report's year as people name it: of its publication, else of when the
        council received it (most ILACS and area SEND PDFs print no publication date),
        else of the inspection."""
        when = next((getattr(self, name) for name in REPORT_DATES if getattr(self, name)), None)
        return when.year if when else None

    @property
    def kind_and_year(self) -> str:
        """ "Focused visit (2025)": how pages and documents name a report of a council."""
        return f"{self.get_inspection_type_display()} ({self.year or 'undated'})"

    @property
    def asks_for_a_plan(self) -> bool:
        """Whether the report itself asks for a plan, so that its deadline counts from
        receipt when it states none. A monitoring visit letter records progress and asks
        for none; a focused visit asks for one only when it names areas for priority
        action (a draft within 20 working days, the final plan by the date it states); an
        area SEND inspection only at its worst outcome, which names areas for priority
        action (at the middle one the partnership updates and publishes its strategic
        plan, sent to no one). Any may still state a date, and an officer may always set
        one."""
        return self.no_plan_because is None

    @property
    def no_plan_because(self) -> str | None:
        """Why the report asks for no plan, in words (None: it asks for one)."""
        kind = self.inspection_type
        if kind not in ASKS_FOR_A_PLAN_WHEN:
            return None
        unless = ASKS_FOR_A_PLAN_WHEN[kind]
        return None if unless and getattr(self, unless) else NO_PLAN_BECAUSE[kind]

    @property
    def plan_due_basis_words(self) -> str:
        """Where the plan due date comes from, in words: "70 working days from receipt",
        "set by a policy officer: the report arrived late"."""
        return self._basis_words(
            self.plan_due_basis, settings.PLAN_DUE_WORKING_DAYS, self.plan_due_override_reason
        )

    @property
    def draft_plan_due_basis_words(self) -> str:
        """Where the draft plan due date comes from: "20 working days from receipt"."""
        return self._basis_words(
            self.draft_plan_due_basis,
            settings.DRAFT_PLAN_DUE_WORKING_DAYS,
            self.draft_plan_due_override_reason,
        )

    def _basis_words(self, basis: str, working_days: int, override_reason: str) -> str:
        """A worked-out deadline says which date it counts from: the date received, or,
        while none is entered, the publication date standing in for it. An officer's
        date gives their reason; a reason kept from an override since removed does not
        show."""
        if basis == DeadlineBasis.OVERRIDE and override_reason:
            return f"{DeadlineBasis.OVERRIDE.label.lower()}: {override_reason}"
        if basis != DeadlineBasis.FORMULA:
            return DeadlineBasis(basis).label.lower() if basis else ""
        if self.received_date is None:
            return f"{working_days} working days from publication, as no date of receipt is entered"
        return f"{working_days} working days from receipt"

    @property
    def no_plan_due_words(self) -> str:
        """What the pages say of a report with no plan due date."""
        return "None asked for" if not self.asks_for_a_plan else "Not known"

    @property
    def effective_received_date(self) -> dt.date | None:
        return self.received_date or self.publication_date

    def check_received_date(self) -> None:
        """Refuse a date of receipt that cannot be: one still to come, or one before the
        inspection ended (the report is written after it). A council often receives the
        report before it is published, so a date before publication is allowed."""
        received = self.received_date
        if received is None:
            return
        if received > timezone.localdate():
            raise DomainError(
                "The date the report was received must be today or in the past",
                field="received_date",
            )
        last_day = self.inspection_end or self.inspection_start
        if last_day is not None and received < last_day:
            raise DomainError(
                f"The date the report was received must be the same as or after "
                f"{last_day:%-d %B %Y}, the last day of the inspection",
                field="received_date",
            )

    def refresh_deadlines(self) -> None:
        """Derive the plan (and draft plan) due dates: override, else stated, else formula.

        Call before saving whenever a date, a stated deadline or an override changes.
        """
        received = self.effective_received_date
        counts = received and self.asks_for_a_plan
        self.plan_due_date, self.plan_due_basis = _pick_deadline(
            self.plan_due_override,
            self.stated_plan_due_date,
            deadlines.plan_due_date(received) if counts else None,
        )
        needs_draft = self.draft_plan_required or self.stated_draft_plan_due_date is not None
        self.draft_plan_due_date, self.draft_plan_due_basis = _pick_deadline(
            self.draft_plan_due_override,
            self.stated_draft_plan_due_date,
            deadlines.draft_plan_due_date(received) if received and needs_draft else None,
        )


def _pick_deadline(
    override: dt.date | None, stated: dt.date | None, formula: dt.date | None
) -> tuple[dt.date | None, str]:
    if override:
        return override, DeadlineBasis.OVERRIDE
    if stated:
        return stated, DeadlineBasis.STATED
    if formula:
        return formula, DeadlineBasis.FORMULA
    return None, ""


class Judgement(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=300)
    section = models.CharField(max_length=300, blank=True)
    grade_text = models.CharField(max_length=300, help_text="Exactly as printed.")
    scale = models.CharField(max_length=16, choices=GradeScale.choices)
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["inspection", "order", "id"]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade_text}"


class Recommendation(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    section = models.CharField(max_length=300, blank=True)
    timescale = models.CharField(max_length=16, choices=Timescale.choices, default=Timescale.NONE)
    addressee = models.CharField(max_length=300, blank=True, help_text="As printed.")
    addressee_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(help_text="Verbatim from the report.")
    number = models.CharField(max_length=32, blank=True, help_text="Paragraph or number.")
    priority = models.BooleanField(default=False, help_text="An area for priority action.")
    # The Children's Social Care National Framework item the report cross-refers to
    # ("(outcome 4, national framework)"); the text keeps the reference as printed.
    framework_kind = models.CharField(
        "national framework kind", max_length=16, choices=FrameworkKind.choices, blank=True
    )
    framework_number = models.PositiveSmallIntegerField(
        "national framework number", null=True, blank=True
    )
    framework_name = models.CharField("national framework name", max_length=300, blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["inspection", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "order"], name="recommendation_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.inspection.get_absolute_url()}#recommendation-{self.pk}"


class RepeatStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class RecommendationRepeat(models.Model):
    """A later item that says again what an earlier item of the same authority said.

    Suggested by inspections.repeats when the later report is imported; an officer
    confirms or dismisses it. A confirmed repeat of an item whose actions were closed
    says that the impact did not last.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="repeat_links"
    )
    earlier = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="repeated_by_links"
    )
    score = models.FloatField(help_text="The detector's similarity, 0 to 100.")
    status = models.CharField(
        max_length=12, choices=RepeatStatus.choices, default=RepeatStatus.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "earlier"], name="repeat_unique_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(recommendation=models.F("earlier")),
                name="repeat_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} repeats {self.earlier_id}"


def new_token() -> str:
    return uuid.uuid4().hex


def pending_upload_to(instance: PendingImport, filename: str) -> str:
    return f"pending-imports/{uuid.uuid4().hex}"


class PendingImport(models.Model):
    """An uploaded report read by the parser and waiting for the officer's review.

    Kept in the database (not the session) so that any web process can show the review;
    removed when confirmed or abandoned.
    """

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to=pending_upload_to)
    result = models.JSONField()

    def __str__(self) -> str:
        return self.filename
