"""Pages of networks: the list with its exports and coverage headline, a
network's page, its registration with checks and actions, a CCG's coverage,
the registration PDF, and the staff's form pages (FormPageView)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fedportal import clock
from fedportal.downloads import attachment_response
from fedportal.exports import ExportColumn
from fedportal.form_pages import FormPageView
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.permissions import can_browse_federation, get_visible_or_404, require
from localities.models import ListSize, Practice
from pcn import forms, services
from pcn.boundary import boundary_svg
from pcn.entitlements import entitlements, member_split, schedule
from pcn.filters import PCNFilterSet
from pcn.maturity import progress
from pcn.models import (
    PCN,
    AgreementSchedule,
    ContractYear,
    MaturityAssessment,
    Membership,
    RateKind,
    Registration,
    RegistrationStatus,
    ReimbursementClaim,
    RoleReimbursement,
    WorkforcePost,
)
from pcn.pdf import registration_pdf
from pcn.permissions import (
    can_decide_registration,
    can_manage_pcns,
    can_see_bank_details,
    can_sign_agreement,
    decision_blocked,
    submission_blocked,
)
from pcn.registration import (
    failing,
    listed_members,
    registration_checks,
    registration_members,
    total_list_size,
)
from pcn.selectors import coverage_for, default_ccg
from pcn.tables import STATUS_LABELS, PCNTable, registration_tag
from pcn.workforce import plan_rows


def current_year() -> ContractYear | None:
    return ContractYear.objects.current(clock.today())


def required_year() -> ContractYear:
    year = current_year()
    if year is None:
        raise Http404("No contract year of the Network Contract DES is set up yet.")
    return year


class PCNListView(FilteredListView):
    filterset_class = PCNFilterSet
    table_class = PCNTable
    template_name = "pcn/pcn_list.html"
    title = "Primary Care Networks"
    export_filename = "pcns"
    export_columns = [
        ExportColumn("PCN code", "code", width=10),
        ExportColumn("Network", "name", width=40),
        ExportColumn("CCG", "ccg_code", width=8),
        ExportColumn("Members", "member_count", "int"),
        ExportColumn("Population", "population", "int"),
        ExportColumn(
            "Registration",
            "registration_status",
            display=lambda v: STATUS_LABELS.get(v, "Not started"),
            width=24,
        ),
        ExportColumn("Clinical director", "clinical_director_name", width=28),
        ExportColumn("Open date", "open_date", "date"),
    ]

    def get_queryset(self):
        self.year = current_year()
        return PCN.objects.visible_to(self.request.user).for_table(self.year, clock.today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.year
        if year is not None:
            context["intro"] = (
                f"Contract year {year}: members on {year.live_from:%-d %B %Y}, registered patients at "
                f"{year.reference_date:%-d %B %Y}, and each network's registration."
            )
        if can_browse_federation(self.request.user)[0]:
            context["coverage_url"] = reverse("pcn:coverage")
        if can_manage_pcns(self.request.user)[0]:
            context["actions"] = [("Add a network", reverse("pcn:pcn-create"))]
        return context


def _pcn_queryset():
    return PCN.objects.select_related("clinical_director_practice", "payee_practice")


class PCNDetailView(LoginRequiredMixin, TemplateView):
    template_name = "pcn/pcn_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pcn = get_visible_or_404(self.request, _pcn_queryset(), code=kwargs["code"].upper())
        year = current_year()
        day = year.live_from if year else clock.today()
        sizes_at = year.reference_date if year else clock.today()
        memberships = list(
            Membership.objects.filter(pcn=pcn)
            .select_related("practice")
            .annotate(list_size=Subquery(ListSize.latest_on(sizes_at, practice=OuterRef("practice"))))
            .order_by("practice__name", "-start_date")
        )
        current = [
            m for m in memberships if m.start_date <= day and (m.end_date is None or m.end_date >= day)
        ]
        staff = can_manage_pcns(user)[0]
        context.update(
            pcn=pcn,
            year=year,
            day=day,
            sizes_at=sizes_at,
            memberships=memberships,
            current_ids={m.pk for m in current},
            population=sum(m.list_size or 0 for m in current),
            registrations=list(
                pcn.registrations.select_related("contract_year").order_by("-contract_year__start")
            ),
            map_svg=boundary_svg(pcn.boundary, label=f"Map of the area of {pcn.name}"),
            latest_assessment=pcn.maturity_assessments.order_by("-assessed_on").first(),
            sees_bank=can_see_bank_details(user)[0],
            can_manage=staff,
            # Bank details are in the history: staff only.
            history=history_for(pcn, user=user) if staff else None,
            crumbs=[("PCNs", reverse("pcn:pcn-list"))],
        )
        return context


class RegistrationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "pcn/registration_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        registration = get_visible_or_404(
            self.request,
            Registration.objects.select_related(
                "pcn", "pcn__payee_practice", "contract_year", "submitted_by", "decided_by"
            ),
            pk=kwargs["pk"],
        )
        members = registration_members(registration)
        checks = registration_checks(registration, members)
        for member in members:
            member.can_sign = member.signature is None and can_sign_agreement(user, member.practice)[0]
        staff = can_manage_pcns(user)[0]
        context.update(
            registration=registration,
            pcn=registration.pcn,
            members=members,
            total=registration.total_list_size if registration.is_frozen else total_list_size(members),
            checks=checks,
            submission_blocked=submission_blocked(registration, failing(checks)),
            decision_blocked=decision_blocked(registration),
            editable=registration.status in (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED),
            status_tag=registration_tag(registration.status),
            map_svg=boundary_svg(
                registration.boundary if registration.is_frozen else registration.pcn.boundary,
                label=f"Map of the area of {registration.pcn.name}",
            ),
            sees_bank=can_see_bank_details(user)[0],
            can_manage=staff,
            can_decide=can_decide_registration(user)[0],
            schedules=list(registration.schedules.select_related("uploaded_by")),
            history=history_for(registration, user=user) if staff else None,
            crumbs=[
                ("PCNs", reverse("pcn:pcn-list")),
                (registration.pcn.name, registration.pcn.get_absolute_url()),
            ],
        )
        return context


class CoverageView(LoginRequiredMixin, TemplateView):
    template_name = "pcn/coverage.html"

    def get_context_data(self, **kwargs):
        require(can_browse_federation(self.request.user), self.request)
        context = super().get_context_data(**kwargs)
        ccg = (self.request.GET.get("ccg") or "").strip().upper()[:5] or default_ccg(self.request.user)
        coverage = coverage_for(ccg_code=ccg, contract_year=required_year(), user=self.request.user)
        context.update(coverage=coverage, ccg=ccg, crumbs=[("PCNs", reverse("pcn:pcn-list"))])
        return context


# Form pages ---------------------------------------------------------------------


class PCNScopedMixin:
    """A form page about one network, fetched in the user's scope."""

    def get_object(self):
        return get_visible_or_404(self.request, _pcn_queryset(), code=self.kwargs["code"].upper())

    def breadcrumbs(self):
        return [("PCNs", reverse("pcn:pcn-list")), (self.object.name, self.object.get_absolute_url())]

    @property
    def caption(self):
        return str(self.object)


class PCNCreateView(FormPageView):
    title = "Add a network"
    rule = staticmethod(can_manage_pcns)
    submit_label = "Add network"

    form_class = forms.PCNCreateForm

    def save(self, form):
        return services.pcn_create(user=self.request.user, **form.cleaned_data)

    def success_message(self, saved):
        return f"{saved} added."

    def cancel_url(self):
        return reverse("pcn:pcn-list")


class PCNEditView(PCNScopedMixin, FormPageView):
    title = "Change the network's details"
    rule = staticmethod(can_manage_pcns)

    def get_form_kwargs(self):
        members = Practice.objects.filter(
            pk__in=Membership.objects.filter(pcn=self.object).values("practice")
        )
        return {"instance": self.object, "members": members}

    def save(self, form):
        return services.pcn_update(pcn=self.object, user=self.request.user, **form.cleaned_data)

    form_class = forms.PCNDetailsForm

    def success_message(self, saved):
        return "Details saved."


class BankDetailsView(PCNScopedMixin, FormPageView):
    title = "Bank account for the network's funding"
    intro = "Shown to federation staff only; every change is kept in the history."
    rule = staticmethod(can_see_bank_details)
    form_class = forms.BankDetailsForm

    def get_form(self, data=None, files=None):
        pcn = self.object
        initial = {
            "bank_account_name": pcn.bank_account_name,
            "bank_sort_code": pcn.bank_sort_code,
            "bank_account_number": pcn.bank_account_number,
        }
        return self.form_class(data, files, initial=initial)

    def save(self, form):
        return services.pcn_bank_details_set(pcn=self.object, user=self.request.user, **form.cleaned_data)

    def success_message(self, saved):
        return "Bank details saved."


class BoundaryView(PCNScopedMixin, FormPageView):
    title = "Upload the network's boundary"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.BoundaryForm
    submit_label = "Upload"

    def save(self, form):
        return services.pcn_boundary_set(
            pcn=self.object, upload=form.cleaned_data["boundary"], user=self.request.user
        )

    def success_message(self, saved):
        return "Boundary saved."


class MembershipAddView(PCNScopedMixin, FormPageView):
    title = "Add a member practice"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.MembershipForm
    submit_label = "Add member"

    def get_form_kwargs(self):
        return {"practices": Practice.objects.order_by("name")}

    def save(self, form):
        membership = services.membership_add(pcn=self.object, user=self.request.user, **form.cleaned_data)
        return membership.pcn

    def success_message(self, saved):
        return "Member added."


class MembershipEndView(FormPageView):
    title = "End a membership"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.MembershipEndForm
    submit_label = "End membership"

    def get_object(self):
        return get_visible_or_404(
            self.request, Membership.objects.select_related("pcn", "practice"), pk=self.kwargs["pk"]
        )

    @property
    def caption(self):
        return f"{self.object.practice} in {self.object.pcn.name}"

    def save(self, form):
        return services.membership_end(
            membership=self.object, user=self.request.user, **form.cleaned_data
        ).pcn

    def cancel_url(self):
        return self.object.pcn.get_absolute_url()

    def success_message(self, saved):
        return "Membership ended; it stays in the network's history."


class RegistrationStartView(PCNScopedMixin, FormPageView):
    title = "Start a registration under the Network Contract DES"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.RegistrationStartForm
    submit_label = "Start registration"

    def get_form_kwargs(self):
        return {"years": ContractYear.objects.exclude(registrations__pcn=self.object)}

    def save(self, form):
        return services.registration_start(pcn=self.object, user=self.request.user, **form.cleaned_data)

    def success_message(self, saved):
        return f"Registration for {saved.contract_year} started."


class RegistrationScopedMixin:
    def get_object(self):
        return get_visible_or_404(
            self.request, Registration.objects.select_related("pcn", "contract_year"), pk=self.kwargs["pk"]
        )

    def breadcrumbs(self):
        pcn = self.object.pcn
        return [
            ("PCNs", reverse("pcn:pcn-list")),
            (pcn.name, pcn.get_absolute_url()),
            (f"Registration {self.object.contract_year}", self.object.get_absolute_url()),
        ]

    @property
    def caption(self):
        return str(self.object)


class ExceptionView(RegistrationScopedMixin, FormPageView):
    title = "Exception to the 30,000 population"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.ExceptionForm

    def get_form(self, data=None, files=None):
        return self.form_class(
            data, files, initial={"population_exception": self.object.population_exception}
        )

    def save(self, form):
        return services.registration_exception_set(
            registration=self.object, user=self.request.user, **form.cleaned_data
        )

    def success_message(self, saved):
        return "Exception saved."


class SignView(RegistrationScopedMixin, FormPageView):
    """A practice signs the network agreement: its own user, or staff recording the signed schedule."""

    title = "Sign the network agreement"
    form_class = forms.SignatureForm
    submit_label = "Sign for the practice"

    def get_object(self):
        registration = super().get_object()
        self.practice = get_visible_or_404(self.request, Practice, ods_code=self.kwargs["ods_code"].upper())
        return registration

    def permission(self):
        return can_sign_agreement(self.request.user, self.practice)

    @property
    def intro(self):
        return (
            f"By signing, {self.practice.name} ({self.practice.ods_code}) confirms it has signed the initial "
            f"Network Agreement of {self.object.pcn.name} for {self.object.contract_year}."
        )

    def save(self, form):
        services.agreement_sign(
            registration=self.object,
            practice=self.practice,
            user=self.request.user,
            recorded_by_staff=self.request.user.is_federation_staff,
            **form.cleaned_data,
        )
        return self.object

    def success_message(self, saved):
        return f"{self.practice.name} has signed the network agreement."


class SubmitView(RegistrationScopedMixin, FormPageView):
    title = "Submit the registration to the CCG"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.forms.Form
    submit_label = "Submit registration"
    intro = (
        "The member practices, their list sizes at the reference date, the clinical director, the nominated "
        "payee, the bank account and the map are frozen into the registration as they are now."
    )

    def save(self, form):
        return services.registration_submit(registration=self.object, user=self.request.user)

    def success_message(self, saved):
        return "Registration submitted."


class DecideView(RegistrationScopedMixin, FormPageView):
    title = "Record the CCG panel's decision"
    rule = staticmethod(can_decide_registration)
    form_class = forms.DecisionForm
    submit_label = "Record decision"

    def save(self, form):
        return services.registration_decide(
            registration=self.object, user=self.request.user, **form.cleaned_data
        )

    def success_message(self, saved):
        return f"Decision recorded: {saved.get_status_display().lower()}."


class RegistrationPDFView(LoginRequiredMixin, View):
    """The registration form as a PDF: bank details in full only in the staff copy."""

    def get(self, request, pk):
        registration = get_visible_or_404(
            request, Registration.objects.select_related("pcn", "pcn__payee_practice", "contract_year"), pk=pk
        )
        data = registration_pdf(
            registration,
            full_bank_details=can_see_bank_details(request.user)[0],
            federation=settings.FEDERATION_NAME,
        )
        response = HttpResponse(data, content_type="application/pdf")
        name = f"pcn-registration-{registration.pcn.code}-{registration.contract_year.start.year}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class EntitlementsView(LoginRequiredMixin, TemplateView):
    """A network's entitlements for the contract year, with the working, the
    monthly schedule reconciled with payments received, and the split of its
    core funding between members."""

    template_name = "pcn/entitlements.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pcn = get_visible_or_404(self.request, PCN.objects.all(), code=kwargs["code"].upper())
        year = required_year()
        registration = (
            Registration.objects.filter(pcn=pcn, contract_year=year).select_related("contract_year").first()
        )
        if registration is not None:
            registration.pcn = pcn
            members = listed_members(registration)
            list_size = registration.total_list_size if registration.is_frozen else total_list_size(members)
        else:
            members, list_size = [], 0
        if registration is not None and registration.is_frozen and pcn.funding_split == "fixed":
            shares = dict(
                Membership.objects.on(year.live_from).filter(pcn=pcn).values_list("practice_id", "share")
            )
            for member in members:
                member.share = shares.get(member.practice.pk)
        owed = entitlements(year, list(year.rates.all()), list_size)
        rows = schedule(year, owed, list(pcn.payments.all()))
        core = next((e for e in owed if e.rate.kind == RateKind.CORE), None)
        split = member_split(core.total, members, pcn.funding_split) if core and members else {}
        context.update(
            pcn=pcn,
            year=year,
            registration=registration,
            list_size=list_size,
            owed=owed,
            owed_total=sum((e.total for e in owed), Decimal("0.00")),
            rows=rows,
            expected_total=sum((r.expected for r in rows), Decimal("0.00")),
            received_total=sum((r.received for r in rows), Decimal("0.00")),
            core=core,
            split=[(m, split.get(m.ods_code)) for m in members],
            can_manage=can_manage_pcns(user)[0],
            crumbs=[("PCNs", reverse("pcn:pcn-list")), (pcn.name, pcn.get_absolute_url())],
        )
        return context


class PaymentCreateView(PCNScopedMixin, FormPageView):
    title = "Record a payment received"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.PaymentForm
    submit_label = "Record payment"

    def save(self, form):
        return services.payment_record(pcn=self.object, user=self.request.user, **form.cleaned_data).pcn

    def success_url(self, saved):
        return reverse("pcn:entitlements", args=[saved.code])

    def success_message(self, saved):
        return "Payment recorded."


# The signed schedule of the network agreement -----------------------------------


class ScheduleUploadView(RegistrationScopedMixin, FormPageView):
    """Staff keep the signed schedule and record the signatures on it."""

    title = "Upload the signed schedule of the network agreement"
    template_name = "pcn/schedule_form.html"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.ScheduleForm
    submit_label = "Upload"
    intro = (
        "The file is kept with the registration as uploaded; a later upload is kept beside it, never over it."
    )

    def get_form_kwargs(self):
        registration = self.object
        members = [m.practice.pk for m in listed_members(registration)]
        return {
            "unsigned": Practice.objects.filter(pk__in=members)
            .exclude(pk__in=registration.signatures.values("practice"))
            .order_by("name")
        }

    def save(self, form):
        services.agreement_schedule_upload(
            registration=self.object,
            upload=form.cleaned_data["file"],
            practices=list(form.cleaned_data["practices"]),
            user=self.request.user,
        )
        return self.object

    def success_message(self, saved):
        return "Signed schedule kept."


class ScheduleDownloadView(LoginRequiredMixin, View):
    """A signed schedule, to whoever sees its registration (404 otherwise)."""

    def get(self, request, pk):
        schedule = get_visible_or_404(request, AgreementSchedule.objects.all(), pk=pk)
        return attachment_response(
            schedule.file, filename=schedule.original_name, content_type=schedule.content_type
        )


# Workforce and maturity ---------------------------------------------------------


class WorkforceView(LoginRequiredMixin, TemplateView):
    """A network's workforce plan by year, each post's reimbursement cap, what
    has been claimed against it and what is left, and the claims month by month."""

    template_name = "pcn/workforce.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pcn = get_visible_or_404(self.request, PCN.objects.all(), code=kwargs["code"].upper())
        posts = list(
            WorkforcePost.objects.filter(pcn=pcn)
            .select_related("contract_year")
            .annotate(
                claimed_total=Coalesce(
                    Sum("claims__amount"), Value(Decimal("0.00")), output_field=DecimalField()
                )
            )
            .order_by("-contract_year__start", "role", "starts", "pk")
        )
        rows = plan_rows(
            posts,
            list(RoleReimbursement.objects.filter(contract_year__in={p.contract_year_id for p in posts})),
        )
        years = {}
        for row in rows:
            years.setdefault(row.post.contract_year, []).append(row)
        context.update(
            pcn=pcn,
            years=[
                (
                    year,
                    year_rows,
                    sum((r.cap for r in year_rows), Decimal("0.00")),
                    sum((r.claimed for r in year_rows), Decimal("0.00")),
                )
                for year, year_rows in years.items()
            ],
            claims=list(
                ReimbursementClaim.objects.filter(post__pcn=pcn)
                .select_related("post")
                .order_by("-month", "post__title")
            ),
            can_manage=can_manage_pcns(self.request.user)[0],
            crumbs=[("PCNs", reverse("pcn:pcn-list")), (pcn.name, pcn.get_absolute_url())],
        )
        return context


class WorkforcePostCreateView(PCNScopedMixin, FormPageView):
    title = "Add a post to the workforce plan"
    rule = staticmethod(can_manage_pcns)
    form_class = forms.WorkforcePostForm
    submit_label = "Add post"

    def get_form(self, data=None, files=None):
        year = current_year()
        return self.form_class(data, files, initial={"contract_year": year.pk if year else None})

    def save(self, form):
        return services.workforce_post_add(pcn=self.object, user=self.request.user, **form.cleaned_data)

    def success_url(self, saved):
        return reverse("pcn:workforce", args=[self.object.code])

    def cancel_url(self):
        return reverse("pcn:workforce", args=[self.object.code])

    def success_message(self, saved):
        return f"{saved.title} added to the plan for {saved.contract_year}."


class WorkforcePostPage(FormPageView):
    """A form page about one post of a workforce plan, under the network's workforce page."""

    rule = staticmethod(can_manage_pcns)

    def get_object(self):
        return get_visible_or_404(
            self.request, WorkforcePost.objects.select_related("pcn", "contract_year"), pk=self.kwargs["pk"]
        )

    def breadcrumbs(self):
        pcn = self.object.pcn
        return [
            ("PCNs", reverse("pcn:pcn-list")),
            (pcn.name, pcn.get_absolute_url()),
            ("Workforce", reverse("pcn:workforce", args=[pcn.code])),
        ]

    def success_url(self, saved):
        return reverse("pcn:workforce", args=[self.object.pcn.code])


class WorkforcePostChangeView(WorkforcePostPage):
    form_class = forms.WorkforcePostChangeForm
    submit_label = "Save changes"
    intro = (
        "A post that ends is given its last day. Claims already recorded must stay within its months and cap."
    )

    def get_title(self):
        return f"Change {self.object.title}"

    @property
    def caption(self):
        return f"{self.object.pcn.name}, plan for {self.object.contract_year}"

    def get_form(self, data=None, files=None):
        post = self.object
        fields = ("title", "wte", "starts", "ends", "employer")
        return self.form_class(data, files, initial={name: getattr(post, name) for name in fields})

    def save(self, form):
        return services.workforce_post_change(post=self.object, user=self.request.user, **form.cleaned_data)

    def cancel_url(self):
        return reverse("pcn:workforce", args=[self.object.pcn.code])

    def success_message(self, saved):
        return f"{saved.title} changed."


class ClaimCreateView(WorkforcePostPage):
    title = "Claim reimbursement for a month"
    form_class = forms.ClaimForm
    submit_label = "Record claim"
    intro = "The claim is the scheme's share of the month's costs, cut to what is left of the post's cap."

    @property
    def caption(self):
        return f"{self.object.title}, {self.object.pcn.name} ({self.object.contract_year})"

    def save(self, form):
        return services.reimbursement_claim_record(
            post=self.object, user=self.request.user, **form.cleaned_data
        )

    def success_message(self, saved):
        cut = " (cut to what was left of the cap)" if saved.capped else ""
        return f"£{saved.amount:,} claimed for {saved.month:%B %Y}{cut}."


class MaturityView(LoginRequiredMixin, TemplateView):
    """A network's self-assessments against the maturity matrix, side by side."""

    template_name = "pcn/maturity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pcn = get_visible_or_404(self.request, PCN.objects.all(), code=kwargs["code"].upper())
        assessments = list(
            MaturityAssessment.objects.filter(pcn=pcn).select_related("assessed_by").order_by("assessed_on")
        )
        context.update(
            pcn=pcn,
            assessments=assessments,
            rows=progress(assessments),
            can_manage=can_manage_pcns(self.request.user)[0],
            crumbs=[("PCNs", reverse("pcn:pcn-list")), (pcn.name, pcn.get_absolute_url())],
        )
        return context


class MaturityCreateView(PCNScopedMixin, FormPageView):
    title = "Record a maturity self-assessment"
    intro = (
        "For each row of the PCN maturity matrix, the level the network has reached: the foundations for "
        "transformation, then steps 1 to 3."
    )
    rule = staticmethod(can_manage_pcns)
    form_class = forms.MaturityAssessmentForm
    submit_label = "Record assessment"

    def save(self, form):
        return services.maturity_assessment_add(pcn=self.object, user=self.request.user, **form.cleaned_data)

    def success_url(self, saved):
        return reverse("pcn:maturity", args=[self.object.code])

    def cancel_url(self):
        return reverse("pcn:maturity", args=[self.object.code])

    def success_message(self, saved):
        return f"Assessment of {saved.assessed_on:%-d %B %Y} recorded."
