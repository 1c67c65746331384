"""Reminders: what each practice is told (evidence missing, expiring or
expired, returns due), that an item goes to a person at most once a week,
that --dry-run sends and records nothing, and the staff's weekly digest."""

import io
import smtplib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import Reminder, ScheduledClinician, SubContract
from contracts.reminders import STAFF_DIGEST, practice_items, returns_window
from contracts.services.returns import return_submit
from fedportal.periods import Quarter
from localities.models import Practice, PracticeMembership
from tests.conftest import make_user
from tests.contracts.helpers import make_evidence, make_return

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = date(2019, 2, 15)


@pytest.fixture(autouse=True)
def reminders_morning(time_machine):
    """7:00 on 15 February 2019 in London, when the reminders go out: earlier
    than the office hours of the other tests' ``february_2019``. The tests move
    this clock to the later runs."""
    time_machine.move_to(datetime(2019, 2, 15, 7, 0, tzinfo=LONDON), tick=False)
    return time_machine


def evidence(subcontract, requirement, user, *, valid_to=None, status="accepted", clinician=None):
    """Evidence as a decided fact: accepted unless said otherwise, and valid
    from April 2018 when it has an end."""
    return make_evidence(
        subcontract,
        requirement,
        user,
        status=status,
        valid_to=valid_to,
        valid_from=date(2018, 4, 1) if valid_to else None,
        clinician=clinician,
        description="Evidence",
    )


@pytest.fixture
def people(practice_user, staff_user, board_user, other_practice):
    practice_user.email = "pm@harborough.example.nhs.uk"
    practice_user.save()
    staff_user.email = "coo@federation.example.nhs.uk"
    staff_user.save()
    board_user.email = "chair@federation.example.nhs.uk"  # the board gets no digest
    board_user.save()
    other = make_user("oakham-pm", "practice", email="pm@oakham.example.nhs.uk")
    PracticeMembership.objects.create(user=other, practice=other_practice)
    return {"practice": practice_user, "staff": staff_user, "other": other}


@pytest.fixture
def world(people, subcontract, other_subcontract, indemnity, signed_subcontract, fitters, staff_user):
    """On 15 February 2019 the practice's indemnity expired on 31 January,
    its signed sub-contract is missing, Dr Ann Fitter's competency expires on
    1 March, Nurse Bee's awaits review, and its Q3 return is due (Q1 and Q2
    were approved). Oakham has nothing at all."""
    evidence(subcontract, indemnity, staff_user, valid_to=date(2019, 1, 31))
    ann = ScheduledClinician.objects.create(subcontract=subcontract, name="Dr Ann Fitter")
    bee = ScheduledClinician.objects.create(subcontract=subcontract, name="Nurse Bee")
    evidence(subcontract, fitters, staff_user, valid_to=date(2019, 3, 1), clinician=ann)
    evidence(subcontract, fitters, staff_user, valid_to=date(2020, 3, 1), clinician=bee, status="pending")
    make_return(
        subcontract, people["practice"], quarter=Quarter(2018, 1), units=(10,), approved_by=staff_user
    )
    make_return(
        subcontract, people["practice"], quarter=Quarter(2018, 2), units=(10,), approved_by=staff_user
    )
    return {"ann": ann, "bee": bee}


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def emails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_each_item_has_the_right_wording_and_a_stable_key(
    world, practice, subcontract, indemnity, signed_subcontract, fitters
):
    # when the practice's items are built for 15 February 2019
    items = practice_items(TODAY, practice_ids={practice.pk})[practice.pk]
    by_key = {item.key: item.text for item in items}
    ann = world["ann"].pk
    # then the expired, missing and expiring evidence and the Q3 return are there, worded plainly
    assert by_key == {
        f"evidence:expired:{subcontract.pk}:{indemnity.pk}:-": (
            "H. pylori breath test: Indemnity certificate expired on 31 January 2019: upload current evidence."
        ),
        f"evidence:missing:{subcontract.pk}:{signed_subcontract.pk}:-": (
            "H. pylori breath test: Signed sub-contract is missing: upload it."
        ),
        f"evidence:expiring:{subcontract.pk}:{fitters.pk}:{ann}": (
            "H. pylori breath test: Schedule of fitters for Dr Ann Fitter expires on 1 March 2019 (in 14 days): "
            "upload the renewed evidence."
        ),
        f"return:{subcontract.pk}:2018-Q3": (
            "H. pylori breath test: the activity return for Q3 2018/19 (October to December 2018) is due."
        ),
    }
    # and Nurse Bee's evidence, awaiting review, needs nothing from the practice
    assert not any("Nurse Bee" in text for text in by_key.values())
    # and a day later, when the wording has moved on, the keys are the same ones
    next_day = practice_items(TODAY + timedelta(days=1), practice_ids={practice.pk})[practice.pk]
    assert [item.key for item in next_day] == [item.key for item in items]
    assert by_key[f"evidence:expiring:{subcontract.pk}:{fitters.pk}:{ann}"] not in [
        item.text for item in next_day
    ]


def test_a_practice_with_nothing_gets_missing_items_and_every_return_due(
    world, other_practice, other_subcontract
):
    items = practice_items(TODAY, practice_ids={other_practice.pk})[other_practice.pk]
    texts = [item.text for item in items]
    assert "H. pylori breath test: Indemnity certificate is missing: upload it." in texts
    assert (
        "H. pylori breath test: Schedule of fitters: no clinicians are listed yet. Add them, with evidence for each."
        in texts
    )
    assert [item.key for item in items if item.kind == "return"] == [
        f"return:{other_subcontract.pk}:2018-Q1",
        f"return:{other_subcontract.pk}:2018-Q2",
        f"return:{other_subcontract.pk}:2018-Q3",
    ]


def test_compliant_evidence_and_returns_made_need_no_reminder(
    people, practice, subcontract, indemnity, signed_subcontract, staff_user, practice_user
):
    evidence(subcontract, indemnity, staff_user, valid_to=date(2020, 1, 31))
    evidence(subcontract, signed_subcontract, staff_user)  # never expires
    for number in (1, 2):
        make_return(
            subcontract, practice_user, quarter=Quarter(2018, number), units=(10,), approved_by=staff_user
        )
    return_submit(
        subcontract=subcontract, quarter=Quarter(2018, 3), units=[3], user=practice_user
    )  # waiting counts
    assert practice_items(TODAY, practice_ids={practice.pk}) == {}


def test_returns_are_due_from_the_start_of_the_previous_financial_year(
    people, practice, subcontract, h_pylori, staff_user
):
    # given a sub-contract that started long ago, with a tariff since 2016
    subcontract.start_date = date(2016, 4, 1)
    subcontract.save()
    h_pylori.tariffs.update(effective_from=date(2016, 4, 1))
    # then returns are due from Q1 2017/18 (April 2017) to Q3 2018/19, not before
    assert returns_window(TODAY) == (Quarter(2017, 1), Quarter(2018, 3))
    keys = [
        i.key for i in practice_items(TODAY, practice_ids={practice.pk})[practice.pk] if i.kind == "return"
    ]
    assert keys[0] == f"return:{subcontract.pk}:2017-Q1"
    assert keys[-1] == f"return:{subcontract.pk}:2018-Q3"
    assert len(keys) == 7


def test_a_service_without_returns_is_never_due(people, practice, subcontract, h_pylori):
    h_pylori.takes_returns = False
    h_pylori.save()
    assert practice_items(TODAY, practice_ids={practice.pk}) == {}


def test_each_practice_user_gets_one_email_of_their_own_practices_items(world, people):
    # when reminders are sent
    output = run()
    # then the practice manager gets one email listing only their practice's four items
    (email,) = emails_to("pm@harborough.example.nhs.uk")
    assert "Market Harborough Medical Centre" in email.subject
    assert "Indemnity certificate expired on 31 January 2019" in email.body
    assert "Signed sub-contract is missing" in email.body
    assert "Dr Ann Fitter expires on 1 March 2019 (in 14 days)" in email.body
    assert "activity return for Q3 2018/19 (October to December 2018) is due" in email.body
    assert "/subcontracts/" in email.body and "returns/new/?quarter=2018-Q3" in email.body
    assert "Oakham" not in email.subject + email.body
    # and Oakham's manager only Oakham's
    (other,) = emails_to("pm@oakham.example.nhs.uk")
    assert "Oakham Medical Practice" in other.body
    assert "Market Harborough" not in other.subject + other.body
    # and each item sent is recorded against its recipient
    assert Reminder.objects.filter(recipient=people["practice"]).count() == 4
    assert Reminder.objects.filter(recipient=people["other"]).count() == 6
    assert "Sent 3 emails" in output
    assert "2 to practice users (10 items), 1 staff digest" in output


def test_a_second_run_the_same_day_sends_nothing_and_eight_days_later_sends_again(
    world, people, reminders_morning
):
    # given reminders went out this morning
    run()
    sent, recorded = len(mail.outbox), Reminder.objects.count()
    # when the command runs again in the afternoon
    reminders_morning.move_to(datetime(2019, 2, 15, 15, 0, tzinfo=LONDON), tick=False)
    output = run()
    # then nothing is sent or recorded, and everything is counted as skipped
    assert len(mail.outbox) == sent == 3
    assert Reminder.objects.count() == recorded
    assert "Sent 0 emails" in output
    assert "11 skipped as sent within the last 7 days" in output
    # when it runs 8 days later, with the same items still outstanding
    reminders_morning.move_to(datetime(2019, 2, 23, 7, 0, tzinfo=LONDON), tick=False)
    run("--today", "2019-02-23")
    # then everyone is reminded again, the staff digest included
    assert len(mail.outbox) == 6
    assert len(emails_to("pm@harborough.example.nhs.uk")) == 2
    assert len(emails_to("coo@federation.example.nhs.uk")) == 2


def test_a_new_item_within_the_week_is_sent_on_its_own(world, people, subcontract, reminders_morning):
    run()
    # given two days later the Q3 return is still due and a clinician is added with nothing uploaded
    reminders_morning.move_to(datetime(2019, 2, 17, 7, 0, tzinfo=LONDON), tick=False)
    ScheduledClinician.objects.create(subcontract=subcontract, name="Dr New")
    mail.outbox.clear()
    run("--today", "2019-02-17")
    # then only the new item goes to the practice, and no digest to staff
    (email,) = mail.outbox
    assert email.to == ["pm@harborough.example.nhs.uk"]
    assert "Schedule of fitters for Dr New is missing" in email.body
    assert "Indemnity" not in email.body
    assert "1 thing to do" in email.subject


def test_dry_run_prints_what_would_be_sent_and_sends_and_records_nothing(world, people):
    output = run("--dry-run")
    assert mail.outbox == []
    assert Reminder.objects.count() == 0
    assert "Would send to pm@harborough.example.nhs.uk" in output
    assert "Would send to coo@federation.example.nhs.uk" in output
    assert "Signed sub-contract is missing" in output
    assert "Would send 3 emails" in output
    # and a real run afterwards still sends everything
    run()
    assert len(mail.outbox) == 3


def test_staff_get_the_digest_once_a_week(world, people, staff_user, reminders_morning):
    # given a return awaits approval
    return_submit(
        subcontract=world["ann"].subcontract, quarter=Quarter(2018, 3), units=[3], user=people["practice"]
    )
    # when reminders run on three days of one week, then on the eighth
    for day in (15, 16, 20):
        reminders_morning.move_to(datetime(2019, 2, day, 7, 0, tzinfo=LONDON), tick=False)
        run("--today", f"2019-02-{day}")
    digests = emails_to("coo@federation.example.nhs.uk")
    reminders_morning.move_to(datetime(2019, 2, 23, 7, 0, tzinfo=LONDON), tick=False)
    run("--today", "2019-02-23")
    # then the digest went once that week, and again on the eighth day
    assert len(digests) == 1
    assert len(emails_to("coo@federation.example.nhs.uk")) == 2
    body = digests[0].body
    assert "Evidence awaiting review: 1" in body
    assert "Sub-contracts with expired evidence: 1" in body  # the practice's (its worst state)
    assert "Sub-contracts with evidence missing: 1" in body  # Oakham's
    assert "Activity returns awaiting approval: 1" in body
    assert "/returns/?status=submitted" in body
    assert Reminder.objects.filter(recipient=staff_user, item=STAFF_DIGEST).count() == 2
    # board members and practice users get no digest
    assert not any("digest" in m.subject for m in emails_to("chair@federation.example.nhs.uk"))
    assert not any("digest" in m.subject for m in emails_to("pm@harborough.example.nhs.uk"))


def test_users_without_an_email_or_inactive_get_nothing(world, people):
    people["practice"].email = ""
    people["practice"].save()
    people["other"].is_active = False
    people["other"].save()
    run()
    assert [m.to for m in mail.outbox] == [["coo@federation.example.nhs.uk"]]


def test_a_send_that_fails_records_nothing(world, people, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(CommandError, match="could not be sent"):
        run()
    assert Reminder.objects.count() == 0


def test_a_bad_today_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        run("--today", "15/02/2019")


def test_the_window_moves_with_the_financial_year():
    assert returns_window(date(2019, 4, 10)) == (Quarter(2018, 1), Quarter(2018, 4))
    assert returns_window(date(2019, 3, 31)) == (Quarter(2017, 1), Quarter(2018, 3))


def test_finding_the_items_takes_the_same_queries_for_ten_practices_as_for_two(
    world, h_pylori, harborough, django_assert_max_num_queries
):
    # given two practices with things to do
    with CaptureQueriesContext(connection) as two_practices:
        before = practice_items(TODAY)
    # when ten more practices sub-contract the service with no evidence at all
    for number in range(10):
        practice = Practice.objects.create(
            ods_code=f"C8290{number}", name=f"Practice {number}", locality=harborough
        )
        SubContract.objects.create(practice=practice, service=h_pylori, start_date=date(2018, 4, 1))
    # then their items are found with no more queries than before
    with django_assert_max_num_queries(len(two_practices)):
        after = practice_items(TODAY)
    assert len(after) == len(before) + 10


def test_a_refused_email_is_kept_for_staff_and_the_others_still_go(
    world, people, monkeypatch, client_as, reminders_morning
):
    from django.core.mail import EmailMessage

    from contracts.models import ReminderFailure

    real_send = EmailMessage.send

    def refuse_practice(self, fail_silently=False):
        if self.to == [people["practice"].email]:
            raise smtplib.SMTPRecipientsRefused({self.to[0]: (550, b"no such mailbox")})
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", refuse_practice)

    # when one practice user's address is refused
    with pytest.raises(CommandError, match="1 email could not be sent"):
        run()

    # then everyone else is reminded, and nothing is recorded as sent to them
    assert [m.to for m in mail.outbox] != []
    assert people["practice"].email not in [address for m in mail.outbox for address in m.to]
    assert not Reminder.objects.filter(recipient=people["practice"]).exists()
    failure = ReminderFailure.objects.get()
    assert failure.recipient == people["practice"]
    assert "no such mailbox" in failure.error

    # and staff find it on the list their work queue links to
    page = client_as("staff").get("/reminders/failed/?unresolved=yes")
    assert page.status_code == 200
    assert "1 result" in page.content.decode()
    assert people["practice"].email in page.content.decode()

    # which board members and practice users are refused
    assert client_as("board").get("/reminders/failed/").status_code == 403
    assert client_as("practice").get("/reminders/failed/").status_code == 403

    # and once a later run reaches them, it is no longer waiting
    monkeypatch.setattr(EmailMessage, "send", real_send)
    reminders_morning.move_to(datetime(2019, 2, 16, 7, 0, tzinfo=LONDON), tick=False)
    run()
    assert "0 results" in client_as("staff").get("/reminders/failed/?unresolved=yes").content.decode()
