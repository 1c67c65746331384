"""The board's papers of ELR GP Federation, February 2019: seed 000's
sections (a) to (t) as workstreams with their February updates (the seed's
own words, abridged), the urgent-care key risks of section (d) with their
January scores in the history (so the trend shows), the actions the report
promises, the February board meeting and its papers, the February COO report
published, and a March 2019 draft. Idempotent: a second run changes nothing
already there and never publishes twice."""

from datetime import date, datetime

import pghistory
from django.apps import apps
from django.utils import timezone

from reports.models import (
    ActionStatus,
    AgendaItem,
    Attendee,
    BoardAction,
    BoardMeeting,
    BoardPack,
    CooReport,
    MeetingAttendance,
    Milestone,
    PackStatus,
    Paper,
    PaperKind,
    Rag,
    Risk,
    Workstream,
    WorkstreamUpdate,
)
from reports.services import pack_publish, report_publish
from reports.tasks import build_board_pack

FEBRUARY = date(2019, 2, 1)
MARCH = date(2019, 3, 1)
# When the January report's risk scores were recorded.
JANUARY_REPORT = datetime(2019, 1, 31, 12, 0)

# (title, lead, RAG, February update in Markdown): seed 000, abridged.
SECTIONS = [
    (
        "Business plan for FY19/20",
        "JW / HP",
        Rag.AMBER,
        "- JW/HP will table an updated income and expenditure forecast at the Board meeting and present "
        "the associated business plan assumptions.\n"
        "- RB / JW met Tim Sacks on 1st February 2019 and agreed that the Federation should build on the "
        "work over the last year to support Locality working and play a key role in the development of "
        "Primary Care Networks (PCN) in FY19/20. Funding would be made available at 25p per patient "
        "(c.£82K), subject to approval.\n"
        "- Key income streams will be: PCN (incl demand management) @ c£82K (TBC); Urgent Care (DHU) @ "
        "c£50K; H Pylori, CBS, GDPR @ £10-£15K; TF funds c/fwd @ £40K (TBC). All before VAT.\n"
        "- JW / RB will present an update to the PCCC on 5th March 2019 (see update @ Paper C).",
    ),
    (
        "Localities & transformation fund update",
        "JW",
        Rag.GREEN,
        "- We continue to support Localities in implementing their transformation fund projects.\n"
        "- The First Contact Physio and ECP contracts are progressing well and GP time is being saved.\n"
        "- The pilots are nearing their conclusion; practices will have to decide whether / how to extend "
        "the service.\n"
        "- Federation fee arrangements are summarised at Appendix 1.",
    ),
    (
        "Primary Care Networks",
        "RB / JW",
        Rag.AMBER,
        "Practices will form Primary Care Networks (PCN) through a new Network DES, building on the core "
        "contract, for populations of typically 30-50,000 (full BMA update at Paper D).\n\n"
        "The Federation should play a key role in facilitating and supporting our six Localities to develop "
        "their PCNs. This will be a key area of discussion at the Board meeting.",
    ),
    (
        "Urgent Care / extended primary care",
        "JW",
        Rag.RED,
        "- Weekly implementation meetings, including commissioner representatives, drive the implementation.\n"
        "- The risk register is in the Board Pack as Paper E.\n"
        "- We now have 16 GPs interested in providing sessions; we are working with Bushloe Surgery on "
        "providing the GPs in core hours at the Oadby UCC.\n"
        "- LHMP and MHMP have decided not to provide the ANPs for the Melton and MH UCCs.\n"
        "- DHU have sent the draft Articles of Association and Shareholders agreement for the 'DHU East "
        "Leicestershire and Rutland CIC'; LMC Law will review them.",
    ),
    (
        "NHS England clinical pharmacists in general practice",
        "JW",
        Rag.GREEN,
        "- NHS E have confirmed that we can proceed with two pharmacists, for a population just under 60,000.\n"
        "- LMC Law have been instructed to review the PSS contracts; costs to be shared with PSS.\n"
        "- PSS will interview 7 candidates and put 3/4 forward for Practices to meet.",
    ),
    (
        "Community Based Services",
        "HP",
        Rag.GREEN,
        "- Leicestershire CC has verbally confirmed that our contract will be extended into the third year.\n"
        "- HP is confirming with sub-contracting practices their schedule of fitters, evidence to practice "
        "and indemnity certificates.",
    ),
    (
        "Correspondence management",
        "JW",
        Rag.GREEN,
        "- A successful support / review session was held with participating practices on 9th January 2019.\n"
        "- A workshop for admin staff and GPs will follow after Easter.",
    ),
    (
        "Demand Management",
        "RB",
        Rag.GREEN,
        "- RB has completed reports for each Locality, identifying key trends and areas for further work.\n"
        "- Overall referrals growth across ELR has been contained within 1%; the Q3 projection is 0.66% "
        "against the 1% target.\n"
        "- Funding into FY19/20 will come within the 25p / patient PCN resource.",
    ),
    (
        "Referral support service (RSS)",
        "JW",
        Rag.AMBER,
        "- ELR and City CCGs will work with the Alliance on a model to shift activity into the community in "
        "ENT, Dermatology, General Surgery, Orthopaedics and Rheumatology.\n"
        "- The Alliance will hold the contract and could sub-contract to PCL / Federations.\n"
        "- Expressions of interest have been sought for MSK Triage (appendix 2); dermatology will follow.",
    ),
    (
        "Diabetes nurse specialists",
        "JW",
        Rag.GREEN,
        "- Three DSNs continue to provide valuable support to identified LLR practices.\n"
        "- JW will write up a clinical governance process to assure this scheme for Board consideration.",
    ),
    (
        "Rutland Patient App project (VitruCare)",
        "JW",
        Rag.AMBER,
        "- Three care homes and >90 patients have signed up.\n"
        "- RCC have confirmed funding for a second year @ £49K.\n"
        "- A glitch with the system has resulted in a 3 month extension to the contract.",
    ),
    (
        "GP TeamNet",
        "JW",
        Rag.GREEN,
        "- All six Localities have signed up using Transformation Funds; the contract with Clarity "
        "Informatics has been signed.\n"
        "- The Locality leads met Clarity Informatics on 17th January 2019.\n"
        "- Clarity Informatics has agreed to constrain a second year's fee to 325,000 patients.",
    ),
    (
        "H Pylori",
        "HP",
        Rag.GREEN,
        "- The majority of Practices provide an H Pylori service as a sub-contractor to the Federation.\n"
        "- Q3 returns are being collated and passed to PCL for payment.",
    ),
    ("Locum service", "JW", Rag.RED, "JW has yet to progress."),
    (
        "GDPR – DPO service",
        "Joe",
        Rag.GREEN,
        "- The majority of Practices have signed up; they now need chasing to complete the self-survey.\n"
        "- Hinckley & Bosworth Federation are interested in the DPO service.\n"
        "- Joe will provide an update on 13th March 2019 @ 7pm @ Kibworth.",
    ),
    (
        "Fracture Liaison Service (FLS) project",
        "JW",
        Rag.GREEN,
        "- A trial of a locality based fracture liaison service is proposed.\n"
        "- The final business case is attached at Paper F; Public Health and the Alliance Leadership Board "
        "support it.",
    ),
    (
        "Communications update",
        "Joe",
        Rag.GREEN,
        "- The Rutland hub web portal pilot is progressing well and the new Rutland hub has been launched.\n"
        "- Joe will bring forward a proposal for broadening the approach within the CCG area.",
    ),
    (
        "INR STAR",
        "HP",
        Rag.AMBER,
        "- The CCG will cease funding INR STAR wef April 2019.\n"
        "- The Federation has obtained quotes from LumiraDX and DAWN.",
    ),
    (
        "Second blood collection",
        "HP",
        Rag.AMBER,
        "- 19 practices wish to procure a second blood collection.\n"
        "- UHL advised that the lack of a second collection results in many unnecessary referrals to ED.",
    ),
    (
        "Active signposting",
        "JW",
        Rag.AMBER,
        "- ELR CCG asked the Federation to coordinate a pilot within 1/2 Localities (funding @ c£6K to £8K).\n"
        "- The first session must take place before the end of March 2019 to qualify for the funding.",
    ),
]

MARCH_UPDATES = {
    "Business plan for FY19/20": "- The Board approved the FY19/20 business plan assumptions.\n"
    "- The PCCC update was presented on 5th March 2019.",
    "Urgent Care / extended primary care": "- The Urgent Care Centres contract starts in April 2019.\n"
    "- GP rota for April is 80% filled.",
    "Active signposting": "- The first session took place on 27th March 2019.",
}

# (risk, owner, likelihood, impact, January's likelihood and impact, mitigation)
RISKS = [
    (
        "Clinical workforce recruitment (GPs and ANPs)",
        "JW",
        4,
        5,
        (5, 5),
        "16 GPs interested in sessions; Bushloe Surgery option for core hours at Oadby UCC.",
    ),
    ("S1 unit commissioning", "JW", 3, 4, (3, 4), "Weekly implementation meetings with commissioners."),
    (
        "Activity being greater than contracted volume",
        "HP",
        3,
        4,
        (2, 4),
        "Activity monitored weekly against the contracted volume; UCC booking pathway pilot.",
    ),
]

MILESTONES = [
    (
        "Urgent Care / extended primary care",
        "UC1",
        "UCC GP rota filled for April",
        date(2019, 3, 15),
        None,
        None,
        "",
    ),
    (
        "Urgent Care / extended primary care",
        "UC2",
        "DHU ELR CIC articles reviewed by LMC Law",
        date(2019, 2, 28),
        date(2019, 3, 20),
        None,
        "Documents arrived late from DHU; LMC Law review booked for March.",
    ),
    ("Business plan for FY19/20", "BP1", "Update to the PCCC", date(2019, 3, 5), None, None, ""),
    ("Active signposting", "AS1", "First pilot session held", date(2019, 3, 31), None, None, ""),
    (
        "GP TeamNet",
        "GT1",
        "Contract with Clarity Informatics signed",
        date(2019, 1, 31),
        None,
        date(2019, 1, 25),
        "",
    ),
]

DIRECTORS = [
    ("Dr Rysz Bietzk (Chair)", "MRH Locality", MeetingAttendance.PRESENT),
    ("Dr Gareth Chidlow", "MRH Locality", MeetingAttendance.PRESENT),
    ("Ms Kirsty Whawell", "MRH Locality", MeetingAttendance.APOLOGIES),
    ("Dr Nainesh Chotai", "B&L Locality", MeetingAttendance.PRESENT),
    ("Dr Louise Ryan", "O&W Locality", MeetingAttendance.PRESENT),
    ("Helen Parker (COO)", "ELR GP Federation", MeetingAttendance.IN_ATTENDANCE),
]

AGENDA = [
    ("Apologies and declarations of interest", "Chair", ""),
    ("Minutes and matters arising", "Chair", ""),
    ("COO report", "COO", ""),
    ("Business plan and I&E forecast FY19/20", "JW / HP", ""),
    ("Primary Care Networks", "RB", "Directors who may become PCN clinical directors declared an interest."),
]

PAPERS = [
    ("Minutes of the January meeting", PaperKind.UPLOADED),
    ("Chief Operating Officer report", PaperKind.COO_REPORT),
    ("Update to the PCCC", PaperKind.UPLOADED),
    ("BMA update on Primary Care Networks", PaperKind.UPLOADED),
    ("Urgent care risk register", PaperKind.RISK_REGISTER),
    ("Fracture Liaison Service business case", PaperKind.UPLOADED),
]

ACTIONS = [
    (
        "JW will write up a clinical governance process to assure the diabetes nurse specialist scheme for Board consideration",
        "JW",
        date(2019, 3, 31),
    ),
    (
        "JW/HP to table the updated income and expenditure forecast and business plan assumptions",
        "JW / HP",
        date(2019, 2, 27),
    ),
    ("Summarise an approach to the DPO service for our practices for FY19/20", "Joe", date(2019, 3, 27)),
    (
        "Bring forward a proposal for broadening the hub web portal approach within the CCG area",
        "Joe",
        date(2019, 4, 24),
    ),
]


def demo_paper_pdf(title: str) -> bytes:
    """A small one-page PDF standing for an uploaded paper."""
    from weasyprint import HTML

    return HTML(
        string=f"<html lang='en-GB'><title>{title}</title><h1>{title}</h1><p>Demo paper.</p>"
    ).write_pdf()


def load(context: dict, stdout) -> None:
    staff = context["users"]["demo-staff"]
    with pghistory.context(user=staff.pk, command="load_demo"):
        workstreams = {}
        for position, (title, lead, rag, body) in enumerate(SECTIONS, start=1):
            workstream, _ = Workstream.objects.update_or_create(
                title=title, defaults={"lead": lead, "status": rag, "position": position}
            )
            workstreams[title] = workstream
            WorkstreamUpdate.objects.get_or_create(
                workstream=workstream, month=FEBRUARY, defaults={"body": body, "updated_by": staff}
            )
        for title, body in MARCH_UPDATES.items():
            WorkstreamUpdate.objects.get_or_create(
                workstream=workstreams[title], month=MARCH, defaults={"body": body, "updated_by": staff}
            )
        for title, code, description, due, forecast, completed, note in MILESTONES:
            Milestone.objects.get_or_create(
                workstream=workstreams[title],
                code=code,
                defaults={
                    "description": description,
                    "due_date": due,
                    "forecast_date": forecast,
                    "completed_on": completed,
                    "exception_note": note,
                },
            )
        _risks(workstreams["Urgent Care / extended primary care"])
        meeting = _meeting()
        for action, owner, due in ACTIONS:
            BoardAction.objects.get_or_create(
                action=action, raised_at=meeting, defaults={"owner": owner, "due_date": due}
            )
        BoardAction.objects.filter(action__startswith="JW/HP to table").update(status=ActionStatus.DONE)
        february, _ = CooReport.objects.get_or_create(month=FEBRUARY)
        CooReport.objects.get_or_create(month=MARCH)
    if not february.versions.exists():
        version = report_publish(user=staff, report=february)
        stdout.write(f"  published {version} ({version.size:,} bytes)")
    if not BoardPack.objects.filter(meeting=meeting).exists():
        # Built here, in the loader's own process, the way the worker builds
        # it (the task's function, called directly): the demo starts with a
        # published pack whether or not a worker is running yet.
        pack = BoardPack.objects.create(meeting=meeting)
        build_board_pack.call(pack.pk, staff.pk)
        pack.refresh_from_db()
        if pack.status == PackStatus.BUILT:
            version = pack_publish(user=staff, pack=pack)
            stdout.write(f"  published {version} ({pack.page_count} pages)")
        else:
            stdout.write(f"  the demo pack was not built: {pack.error}")


def _risks(workstream) -> None:
    events = apps.get_model("reports", "RiskEvent").objects
    for title, owner, likelihood, impact, (was_likelihood, was_impact), mitigation in RISKS:
        risk, created = Risk.objects.get_or_create(
            title=title,
            defaults={
                "owner": owner,
                "likelihood": was_likelihood,
                "impact": was_impact,
                "mitigation": mitigation,
                "is_key": True,
                "workstream": workstream,
            },
        )
        if created:
            # January's report had these scores: date their record then, so the
            # February report shows the trend since.
            events.filter(pgh_obj_id=risk.pk).update(pgh_created_at=timezone.make_aware(JANUARY_REPORT))
            risk.likelihood, risk.impact = likelihood, impact
            risk.save()


def _meeting() -> BoardMeeting:
    meeting, created = BoardMeeting.objects.get_or_create(
        held_on=date(2019, 2, 27), defaults={"venue": "Kibworth Medical Centre"}
    )
    if not created:
        return meeting
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, name=name, represents=represents, attendance=attendance)
        for name, represents, attendance in DIRECTORS
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, title=title, presenter=presenter, declarations=declarations)
        for n, (title, presenter, declarations) in enumerate(AGENDA, start=1)
    )
    from django.core.files.base import ContentFile

    from fedportal.files import check_upload, save_with_file
    from reports.services import PAPER_UPLOAD

    for position, (title, kind) in enumerate(PAPERS, start=1):
        paper = Paper(meeting=meeting, position=position, title=title, kind=kind)
        if kind == PaperKind.UPLOADED:
            upload = ContentFile(demo_paper_pdf(title), name=f"{title.lower().replace(' ', '-')}.pdf")
            save_with_file(paper, check_upload(upload, PAPER_UPLOAD), upload)
        else:
            paper.save()
    return meeting
