"""Writes to the finance records. Each runs in one transaction under a
pghistory context naming the user (the change history says who), owns its
rules (the forms feeding it check input only) and raises ValidationError by
field."""

from datetime import date
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.models import Contract, Organisation, Service
from fedportal import clock
from fedportal.files import check_upload, save_with_file
from fedportal.forms import full_clean_by_field
from fedportal.periods import financial_year_of
from finance.models import (
    KINDS_OF_SECTION,
    Basis,
    Figure,
    FinanceImport,
    FinanceSettings,
    ImportStatus,
    Line,
    PerPatientFunding,
    ProjectUpdate,
    Section,
    SharedCost,
    SharedCostPart,
    SharedCostStatus,
    ShopRate,
    TransformationProject,
)
from finance.selectors import compute_split, month_start, previous_month_amounts
from finance.workbook import FINANCE_WORKBOOK, ImportFailed, import_figures
from localities.models import Locality

NOTE_REQUIRED = (
    "This figure moved by {moved} since last month's board paper (more than {threshold}): say why in a note."
)
PUBLISHED_FROZEN = "This split was published to the board and is frozen: copy it to change it."

LINE_CONSTRAINTS = {"finance_line_unique_name": "name", "finance_line_only_income_has_payer": "commissioner"}
FIGURE_CONSTRAINTS = {
    "finance_one_figure_per_line_year_kind": "year",
    "finance_figure_amount_in_range": "amount",
    "finance_figure_plan_in_range": "plan",
    "finance_figure_year_plausible": "year",
}


@transaction.atomic
def line_save(
    *,
    user,
    line: Line | None = None,
    section: str,
    name: str,
    commissioner: Organisation | None = None,
    commissioner_label: str = "",
    category: str = "",
    contract: Contract | None = None,
    service: Service | None = None,
    notes: str = "",
    position: int = 0,
    archived: bool = False,
) -> Line:
    """Create a finance line (an income stream, a cost saving or an
    expenditure category) or change one. Only income streams have a
    commissioner, contract or service; a line with figures keeps its section."""
    line = line or Line()
    if line.pk and line.section != section and line.figures.exists():
        raise ValidationError({"section": "This line has figures: its section cannot change."})
    line.section, line.name, line.commissioner = section, name.strip(), commissioner
    line.commissioner_label, line.category, line.contract, line.service = (
        commissioner_label.strip(),
        category,
        contract,
        service,
    )
    line.notes, line.position, line.archived = notes, position, archived
    if section != Section.INCOME and (commissioner or contract or service):
        raise ValidationError(
            {"commissioner": "Only an income stream has a commissioner, contract or service."}
        )
    full_clean_by_field(line, constraints=LINE_CONSTRAINTS)
    with pghistory.context(user=user.pk):
        line.save()
    return line


def movement_error(*, user, figure: Figure, amount: Decimal, note: str, today: date) -> str:
    """Why a current-year figure needs a note: it moved further than the
    threshold staff set since the previous month's board paper. "" if not."""
    if figure.year != financial_year_of(today) or note.strip():
        return ""
    threshold = FinanceSettings.load().movement_threshold
    previous = previous_month_amounts(user=user, year=figure.year, before=month_start(today))
    before = previous.get(figure.pk, (figure.kind, Decimal("0")))[1] if figure.pk else Decimal("0")
    moved = abs(amount - before)
    if moved > threshold:
        return NOTE_REQUIRED.format(moved=f"£{moved:,.2f}", threshold=f"£{threshold:,.2f}")
    return ""


@transaction.atomic
def figure_save(
    *,
    user,
    line: Line,
    figure: Figure | None = None,
    year: int,
    kind: str,
    basis: str = Basis.FORECAST,
    amount: Decimal,
    plan: Decimal | None = None,
    comment: str = "",
    movement_note: str = "",
    today: date | None = None,
) -> Figure:
    """Record a line's figure for a year (or change one). A figure of the
    current financial year that moves more than the threshold since the
    previous month's board paper needs a note saying why."""
    figure = figure or Figure(line=line)
    if figure.pk and figure.line_id != line.pk:
        raise ValidationError("This figure belongs to another line.")
    if kind not in KINDS_OF_SECTION[Section(line.section)]:
        allowed = " or ".join(str(k.label).lower() for k in KINDS_OF_SECTION[Section(line.section)])
        raise ValidationError({"kind": f"A line of this section takes {allowed}."})
    figure.line, figure.year, figure.kind, figure.basis = line, year, kind, basis
    figure.amount, figure.plan, figure.comment = amount, plan, comment.strip()
    figure.movement_note = movement_note.strip()
    full_clean_by_field(figure, constraints=FIGURE_CONSTRAINTS)
    if message := movement_error(
        user=user, figure=figure, amount=amount, note=figure.movement_note, today=today or clock.today()
    ):
        raise ValidationError({"movement_note": message})
    with pghistory.context(user=user.pk):
        figure.save()
    return figure


@transaction.atomic
def finance_settings_save(*, user, movement_threshold: Decimal) -> FinanceSettings:
    """Set how far a current-year figure may move before a note is required."""
    settings = FinanceSettings.load()
    settings.movement_threshold = movement_threshold
    full_clean_by_field(settings)
    settings.save()
    return settings


@transaction.atomic
def shared_cost_save(
    *,
    user,
    shared_cost: SharedCost | None = None,
    title: str,
    contract: Contract | None = None,
    as_at: date,
    contract_cost: Decimal,
    fee_percent: Decimal,
    legal: Decimal,
    management: Decimal,
    management_note: str = "",
) -> SharedCost:
    """Create or change a draft shared cost. A published one is frozen."""
    shared_cost = shared_cost or SharedCost()
    if shared_cost.pk and shared_cost.is_published:
        raise ValidationError(PUBLISHED_FROZEN)
    shared_cost.title, shared_cost.contract, shared_cost.as_at = title.strip(), contract, as_at
    shared_cost.contract_cost, shared_cost.fee_percent = contract_cost, fee_percent
    shared_cost.legal, shared_cost.management, shared_cost.management_note = (
        legal,
        management,
        management_note,
    )
    full_clean_by_field(shared_cost)
    with pghistory.context(user=user.pk):
        shared_cost.save()
    return shared_cost


@transaction.atomic
def shared_cost_publish(*, user, shared_cost: SharedCost) -> SharedCost:
    """Freeze a shared cost's split as it stands (the list sizes at its
    date, now), for the board: later list-size imports never change it."""
    shared_cost = SharedCost.objects.select_for_update().get(pk=shared_cost.pk)
    if shared_cost.is_published:
        raise ValidationError(PUBLISHED_FROZEN)
    split = compute_split(shared_cost=shared_cost, user=user)
    if split.error:
        raise ValidationError(split.error)
    SharedCostPart.objects.bulk_create(
        SharedCostPart(
            shared_cost=shared_cost,
            locality=row.locality,
            locality_name=row.name,
            patients=row.patients,
            contract=row.contract,
            fee=row.fee,
            legal=row.legal,
            management=row.management,
        )
        for row in split.rows
    )
    shared_cost.status = SharedCostStatus.PUBLISHED
    shared_cost.published_at, shared_cost.published_by = clock.now(), user
    with pghistory.context(user=user.pk):
        shared_cost.save(update_fields=["status", "published_at", "published_by"])
    return shared_cost


@transaction.atomic
def shop_rate_save(
    *,
    user,
    shop_rate: ShopRate | None = None,
    financial_year: int,
    annual_costs: Decimal,
    available_hours: int,
    hours_note: str = "",
    margin_percent: Decimal,
    vat_percent: Decimal,
) -> ShopRate:
    """Record the inputs of a year's shop rate; the rate is worked out from them."""
    shop_rate = shop_rate or ShopRate()
    shop_rate.financial_year, shop_rate.annual_costs = financial_year, annual_costs
    shop_rate.available_hours, shop_rate.hours_note = available_hours, hours_note
    shop_rate.margin_percent, shop_rate.vat_percent = margin_percent, vat_percent
    full_clean_by_field(
        shop_rate, messages={("financial_year", "unique"): "This year already has a shop rate."}
    )
    with pghistory.context(user=user.pk):
        shop_rate.save()
    return shop_rate


@transaction.atomic
def project_save(
    *,
    user,
    project: TransformationProject | None = None,
    locality: Locality,
    title: str,
    allocation: Decimal,
    fee: Decimal,
    project_management: Decimal,
    status: str,
    contracts=(),
    position: int = 0,
) -> TransformationProject:
    """Record a transformation-fund project of a locality, or change one: its
    allocation, the federation's fee, project management, status and the
    contracts it pays for."""
    project = project or TransformationProject()
    project.locality, project.title = locality, title.strip()
    project.allocation, project.fee, project.project_management = allocation, fee, project_management
    project.status, project.position = status, position
    full_clean_by_field(project, constraints={"finance_project_unique_title": "title"})
    with pghistory.context(user=user.pk):
        project.save()
        project.contracts.set(contracts)
    return project


@transaction.atomic
def per_patient_funding_save(
    *,
    user,
    funding: PerPatientFunding | None = None,
    title: str,
    per_patient: Decimal,
    as_at: date,
    line: Line | None = None,
    notes: str = "",
) -> PerPatientFunding:
    """Record funding of an amount per registered patient at a date (seed
    000's 25p), or change it; its amount is worked out from the list sizes."""
    funding = funding or PerPatientFunding()
    if line is not None and line.section != Section.INCOME:
        raise ValidationError({"line": "Choose an income stream: funding is income."})
    funding.title, funding.per_patient, funding.as_at = title.strip(), per_patient, as_at
    funding.line, funding.notes = line, notes
    full_clean_by_field(
        funding,
        messages={
            ("title", "unique"): "Funding of this title is already recorded.",
            ("per_patient", "min_value"): "Enter £0 or more: this amount cannot be negative.",
            ("per_patient", "max_value"): "Enter at most £1,000 per patient.",
        },
    )
    with pghistory.context(user=user.pk):
        funding.save()
    return funding


@transaction.atomic
def project_update_add(*, user, project: TransformationProject, on: date, text: str) -> ProjectUpdate:
    """Append a dated progress update to a transformation-fund project."""
    update = ProjectUpdate(project=project, on=on, text=text.strip(), author=user)
    full_clean_by_field(update)
    update.save()
    return update


# Imports of the finance workbook -----------------------------------------------------------


class ImportAlreadyDecided(Exception):
    """The import was applied (or failed) already: in another tab, or by another person."""


def finance_import_preview(*, user, upload, today: date | None = None) -> FinanceImport:
    """Keep an uploaded finance workbook with its dry run, for staff to check
    before applying. Raises ValidationError (on ``file``) for a refused file;
    a workbook with bad cells is kept as failed, every bad cell listed. One
    write (the run, saved with its file), so no transaction of its own."""
    try:
        checked = check_upload(upload, FINANCE_WORKBOOK)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    run = FinanceImport(original_name=checked.original_name, uploaded_by=user)
    try:
        run.preview = import_figures(upload.read(), dry_run=True, today=today or clock.today()).as_dict()
    except ImportFailed as failure:
        run.preview = failure.summary.as_dict()
        run.status = ImportStatus.FAILED
    finally:
        upload.seek(0)
    save_with_file(run, checked, upload)
    return run


@transaction.atomic
def finance_import_apply(*, user, run_id: int, today: date | None = None) -> FinanceImport:
    """Apply a previewed workbook once, all or nothing, checked again against
    the figures as they are now (they may have changed since the preview)."""
    run = FinanceImport.objects.select_for_update().get(pk=run_id)
    if run.status != ImportStatus.PREVIEWED:
        raise ImportAlreadyDecided(
            f"This import was already {run.get_status_display().split(':')[0].lower()}."
        )
    try:
        with run.file.open("rb") as stored:
            data = stored.read()
    except OSError:
        data = b""  # the kept file is gone: read as no workbook, failed with a message
    try:
        run.result = import_figures(
            data, dry_run=False, today=today or clock.today(), user=user, source=f"upload {run.pk}"
        ).as_dict()
        run.status = ImportStatus.APPLIED
    except ImportFailed as failure:
        run.result = failure.summary.as_dict()
        run.status = ImportStatus.FAILED
    run.applied_by, run.applied_at = user, clock.now()
    run.save()
    return run
