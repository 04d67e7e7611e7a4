import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from tests.conftest import wait_until
from tests.people.factories import GroupFactory, MembershipFactory, UserFactory
from training.people.models import (
    AgeBand,
    Group,
    ImportStatus,
    Membership,
    Role,
    RosterImport,
    User,
)
from training.people.services import check_roster, import_roster, start_import
from training.people.tasks import import_roster as import_roster_task

pytestmark = pytest.mark.django_db

HEADER = ["email", "first_name", "last_name", "group", "role"]
# Row numbers as a spreadsheet shows them: the header is row 1, the blank row 8 still counts.
MIXED = [
    HEADER,
    ["ann@example.org", "Ann", "Lee", "Retail", "learner"],  # 2: fine
    ["not-an-address", "Bob", "", "", ""],  # 3: bad e-mail
    ["carl@example.org", "Carl", "", "Nowhere", ""],  # 4: unknown group
    ["dee@example.org", "Dee", "", "", "wizard"],  # 5: unknown role
    ["ANN@Example.org", "Ann", "Again", "", ""],  # 6: duplicate of row 2
    ["", "Eve", "", "", ""],  # 7: no e-mail
    ["", "", "", "", ""],  # 8: blank, skipped
    ["fay@example.org", "Fay", "", "retail", "owner"],  # 9: owners cannot be imported
    [" Gus@Example.ORG ", "Gus", "Ho", "RETAIL", "Manager"],  # 10: fine
]
EXPECTED_PROBLEMS = [
    (3, "“not-an-address” is not a valid e-mail address."),
    (4, "There is no department called “Nowhere”."),
    (5, "“wizard” is not a role"),
    (6, "“ann@example.org” is already in row 2."),
    (7, "The e-mail address is missing."),
    (9, "Owners cannot be imported"),
]


def csv_bytes(rows, *, delimiter=",", bom=False) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([value or None for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def check(admin, content: bytes, file_name="staff.csv") -> RosterImport:
    return check_roster(admin, file_name=file_name, content=content, now=timezone.now())


def checked_and_imported(admin, content: bytes, django_capture_on_commit_callbacks):
    """Check, start (the task is captured, not sent) and run the import as the worker would."""
    roster_import = check(admin, content)
    with django_capture_on_commit_callbacks() as callbacks:
        start_import(admin, roster_import)
    assert len(callbacks) == 1
    import_roster(roster_import.pk)
    return RosterImport.objects.get(pk=roster_import.pk)


def upload(client, membership, content: bytes, name="staff.csv"):
    return client.post(
        reverse("roster_upload", args=[membership.organization.slug]),
        {"file": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def retail(bank_admin):
    return GroupFactory(organization=bank_admin.organization, name="Retail")


# --- The dry run ------------------------------------------------------------------------------


def test_check_reports_each_kind_of_row_problem_with_its_spreadsheet_row_and_creates_nothing(
    bank_admin, retail
):
    users, members = User.objects.count(), Membership.objects.count()

    roster_import = check(bank_admin, csv_bytes(MIXED))

    assert [
        (p["row"], p["message"][: len(m)])
        for p, (_r, m) in zip(roster_import.problems, EXPECTED_PROBLEMS, strict=True)
    ] == EXPECTED_PROBLEMS
    assert roster_import.rows == [
        {
            "row": 2,
            "email": "ann@example.org",
            "first_name": "Ann",
            "last_name": "Lee",
            "role": "learner",
            "group": retail.pk,
        },
        {
            "row": 10,
            "email": "gus@example.org",
            "first_name": "Gus",
            "last_name": "Ho",
            "role": "manager",
            "group": retail.pk,
        },
    ]
    assert roster_import.status == ImportStatus.PREVIEWED
    assert roster_import.total == 2
    assert (User.objects.count(), Membership.objects.count()) == (users, members)
    assert not retail.members.exists()


def test_xlsx_is_checked_like_csv_and_recognised_by_its_content_not_its_name(bank_admin, retail):
    from_csv = check(bank_admin, csv_bytes(MIXED))

    from_xlsx = check(bank_admin, xlsx_bytes(MIXED), file_name="staff.csv")

    assert from_xlsx.problems == from_csv.problems
    assert from_xlsx.rows == from_csv.rows


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(MIXED, bom=True),
        csv_bytes(MIXED, delimiter=";"),
        csv_bytes([["E-mail", "First name", "Surname", "Department", "Role"], *MIXED[1:]]),
    ],
    ids=["utf-8 with BOM", "semicolons", "header in words"],
)
def test_csv_variants_spreadsheets_save_are_read_the_same(bank_admin, retail, content):
    roster_import = check(bank_admin, content)

    assert [p["row"] for p in roster_import.problems] == [row for row, _m in EXPECTED_PROBLEMS]
    assert [row["email"] for row in roster_import.rows] == ["ann@example.org", "gus@example.org"]


def test_a_file_of_more_than_50_000_rows_is_refused(bank_admin):
    rows = [["email"], *([f"p{n}@example.org"] for n in range(50_001))]

    with pytest.raises(ValidationError, match="more than 50,000 rows"):
        check(bank_admin, csv_bytes(rows))
    assert not RosterImport.objects.exists()


def not_a_workbook_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV or Excel (.xlsx) file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a CSV or Excel (.xlsx) file"),
        (not_a_workbook_zip(), "not a CSV or Excel (.xlsx) file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "Old Excel files (.xls)"),
        ("email\nlé@example.org\n".encode("latin-1"), "not a CSV or Excel (.xlsx) file"),
        (b"", "The submitted file is empty."),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
        (b"email,first_name\n", "a header row but nobody under it"),
        (b"name,department\nAnn,Retail\n", "no “email” column"),
        (b"ann@example.org,Ann,Lee\n", "looks like a person, not column names"),
        (b"email\n" + b"a@example.org\n" * 400_000, "larger than 5 MB"),
    ],
    ids=[
        "png",
        "pdf",
        "zip",
        "xls",
        "latin-1",
        "empty",
        "blank",
        "header only",
        "no email column",
        "no header",
        "too big",
    ],
)
def test_an_unreadable_upload_is_refused_with_400_and_saves_nothing(
    client, bank_admin, content, message
):
    client.force_login(bank_admin.user)

    response = upload(client, bank_admin, content, name="staff.xlsx")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_uploading_shows_the_preview_with_counts_problems_and_the_import_button(
    client, bank_admin, retail
):
    client.force_login(bank_admin.user)

    response = upload(client, bank_admin, csv_bytes(MIXED))

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("roster_import", args=["harbour", roster_import.pk])
    page = client.get(response.url).content.decode()
    assert "Import 2 people" in page
    assert "“wizard” is not a role" in page
    assert '<th scope="row">5</th>' in page
    assert 'http-equiv="refresh"' not in page


def test_the_preview_shows_the_first_200_problems_and_counts_the_rest(client, bank_admin):
    rows = [["email"], *([f"bad{n}"] for n in range(250))]
    roster_import = check(bank_admin, csv_bytes(rows))
    client.force_login(bank_admin.user)

    page = client.get(reverse("roster_import", args=["harbour", roster_import.pk])).content.decode()

    assert page.count("is not a valid e-mail address") == 200
    assert "and 50 more problems, not shown" in page
    assert "No row can be imported" in page
    assert "Import 0" not in page


def test_the_preview_page_runs_a_fixed_number_of_queries(
    client, bank_admin, retail, django_assert_num_queries
):
    rows = [HEADER, *([f"p{n}@example.org", "", "", "Retail", ""] for n in range(300))]
    roster_import = check(bank_admin, csv_bytes([*rows, ["nobody"]]))
    client.force_login(bank_admin.user)
    url = reverse("roster_import", args=["harbour", roster_import.pk])

    # user, membership with its organisation, the import without its lists, its problems
    with django_assert_num_queries(4):
        response = client.get(url)

    assert response.status_code == 200


def test_the_upload_page_lists_earlier_imports_in_a_fixed_number_of_queries(
    client, bank_admin, django_assert_num_queries
):
    for number in range(15):
        check(bank_admin, csv_bytes([["email"], [f"p{number}@example.org"]]), f"f{number}.csv")
    client.force_login(bank_admin.user)

    # user, membership with its organisation, the ten newest imports
    with django_assert_num_queries(3):
        page = client.get(reverse("roster_upload", args=["harbour"])).content.decode()

    assert "f14.csv" in page and "f4.csv" not in page
    assert "At most 5 MB and 50,000 rows" in page
    assert reverse("roster_example", args=["harbour"]) in page


def test_the_example_file_is_a_csv_that_checks_clean(client, bank_admin, retail):
    client.force_login(bank_admin.user)

    response = client.get(reverse("roster_example", args=["harbour"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    roster_import = check(bank_admin, response.content)
    assert roster_import.problems == []
    assert roster_import.total == 3


# --- The import -------------------------------------------------------------------------------


def test_import_creates_accounts_memberships_and_group_memberships(
    bank_admin, retail, django_capture_on_commit_callbacks
):
    back_office = GroupFactory(organization=bank_admin.organization, name="Back office")
    rows = [
        HEADER,
        ["Ann@Example.org", "Ann", "Lee", "retail", ""],
        ["gus@example.org", "Gus", "Ho", "Back Office", "manager"],
        ["ivy@example.org", "", "", "", "educator"],
    ]

    done = checked_and_imported(bank_admin, csv_bytes(rows), django_capture_on_commit_callbacks)

    assert done.status == ImportStatus.DONE
    assert (done.created_users, done.added_members) == (3, 3)
    assert done.processed == done.total == 3
    assert done.finished_at is not None and done.error == ""
    ann = User.objects.get(email="ann@example.org")
    assert (ann.username, ann.first_name, ann.last_name) == ("ann", "Ann", "Lee")
    assert not ann.has_usable_password()
    assert ann.age_band == AgeBand.ADULT
    roles = dict(
        Membership.objects.filter(organization=bank_admin.organization).values_list(
            "user__email", "role"
        )
    )
    assert roles == {
        bank_admin.user.email: Role.ADMIN,
        "ann@example.org": Role.LEARNER,
        "gus@example.org": Role.MANAGER,
        "ivy@example.org": Role.EDUCATOR,
    }
    assert [m.user.email for m in retail.members.all()] == ["ann@example.org"]
    assert [m.user.email for m in back_office.members.all()] == ["gus@example.org"]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    bank_admin, retail, django_capture_on_commit_callbacks
):
    content = csv_bytes(MIXED)
    checked_and_imported(bank_admin, content, django_capture_on_commit_callbacks)
    before = (User.objects.count(), Membership.objects.count(), retail.members.count())

    again = checked_and_imported(bank_admin, content, django_capture_on_commit_callbacks)

    assert again.status == ImportStatus.DONE
    assert (again.created_users, again.added_members) == (0, 0)
    assert (User.objects.count(), Membership.objects.count(), retail.members.count()) == before


def test_existing_accounts_are_matched_by_e_mail_and_members_are_never_demoted(
    bank_admin, retail, django_capture_on_commit_callbacks
):
    organization = bank_admin.organization
    owner = MembershipFactory(organization=organization, role=Role.OWNER)
    learner = MembershipFactory(organization=organization, role=Role.LEARNER)
    manager = MembershipFactory(organization=organization, role=Role.MANAGER)
    outsider = UserFactory(email="Zoe@Example.org")
    rows = [
        HEADER,
        [owner.user.email.upper(), "", "", "Retail", "learner"],
        [learner.user.email, "", "", "", "admin"],
        [manager.user.email, "", "", "", ""],
        ["zoe@example.org", "", "", "Retail", ""],
    ]

    done = checked_and_imported(bank_admin, csv_bytes(rows), django_capture_on_commit_callbacks)

    assert (done.created_users, done.added_members) == (0, 1)
    owner.refresh_from_db()
    learner.refresh_from_db()
    manager.refresh_from_db()
    assert (owner.role, learner.role, manager.role) == (Role.OWNER, Role.ADMIN, Role.MANAGER)
    zoe = Membership.objects.get(organization=organization, user=outsider)
    assert zoe.role == Role.LEARNER
    assert set(retail.members.all()) == {owner, zoe}


def test_usernames_come_from_the_e_mail_and_are_made_unique(
    bank_admin, django_capture_on_commit_callbacks
):
    UserFactory(username="Ann", email="ann@elsewhere.example")
    rows = [HEADER, ["ann@example.org"], ["ann@example.net"], ["o'brien+x@example.org"]]

    checked_and_imported(bank_admin, csv_bytes(rows), django_capture_on_commit_callbacks)

    usernames = dict(
        User.objects.filter(
            email__in=["ann@example.org", "ann@example.net", "o'brien+x@example.org"]
        ).values_list("email", "username")
    )
    assert usernames["ann@example.org"] == "ann@example.org"
    assert usernames["ann@example.net"] == "ann@example.net"
    assert usernames["o'brien+x@example.org"] == "obrien+x"


def test_the_import_records_its_progress_chunk_by_chunk(
    bank_admin, django_capture_on_commit_callbacks, settings
):
    rows = [HEADER, *([f"p{n}@example.org"] for n in range(2_500))]

    done = checked_and_imported(bank_admin, csv_bytes(rows), django_capture_on_commit_callbacks)

    assert (done.processed, done.created_users, done.added_members) == (2_500, 2_500, 2_500)
    assert Membership.objects.filter(organization=bank_admin.organization).count() == 2_501


def test_a_second_run_of_the_task_does_nothing(bank_admin, django_capture_on_commit_callbacks):
    done = checked_and_imported(
        bank_admin, csv_bytes([HEADER, ["ann@example.org"]]), django_capture_on_commit_callbacks
    )
    User.objects.filter(email="ann@example.org").delete()

    import_roster_task(done.pk)  # a redelivered message: the import is no longer QUEUED

    assert not User.objects.filter(email="ann@example.org").exists()
    assert RosterImport.objects.get(pk=done.pk).status == ImportStatus.DONE


def test_a_failing_import_is_marked_failed_with_its_error(
    bank_admin, django_capture_on_commit_callbacks
):
    roster_import = check(bank_admin, csv_bytes([HEADER, ["ann@example.org"]]))
    RosterImport.objects.filter(pk=roster_import.pk).update(rows=[{"row": 2}])  # damaged rows
    with django_capture_on_commit_callbacks():
        start_import(bank_admin, roster_import)

    import_roster(roster_import.pk)

    failed = RosterImport.objects.get(pk=roster_import.pk)
    assert failed.status == ImportStatus.FAILED
    assert "KeyError" in failed.error
    assert failed.finished_at is not None


# --- Starting it, and watching it ------------------------------------------------------------


def test_starting_twice_queues_the_import_once(
    client, bank_admin, django_capture_on_commit_callbacks
):
    roster_import = check(bank_admin, csv_bytes([HEADER, ["ann@example.org"]]))
    client.force_login(bank_admin.user)
    url = reverse("roster_start", args=["harbour", roster_import.pk])

    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(url)
        second = client.post(url)

    assert first.status_code == second.status_code == 302
    assert len(callbacks) == 1
    assert RosterImport.objects.get(pk=roster_import.pk).status == ImportStatus.QUEUED


def test_a_roster_where_every_row_has_a_problem_cannot_be_started(
    client, bank_admin, django_capture_on_commit_callbacks
):
    roster_import = check(bank_admin, csv_bytes([HEADER, ["bad"]]))
    client.force_login(bank_admin.user)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("roster_start", args=["harbour", roster_import.pk]), follow=True
        )

    assert "every row has a problem" in response.content.decode()
    assert callbacks == []
    assert RosterImport.objects.get(pk=roster_import.pk).status == ImportStatus.PREVIEWED


def test_a_running_import_shows_a_progress_bar_that_refreshes_itself(client, bank_admin):
    roster_import = check(
        bank_admin, csv_bytes([HEADER, *([f"p{n}@example.org"] for n in range(4))])
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=ImportStatus.RUNNING, processed=1
    )
    client.force_login(bank_admin.user)
    url = reverse("roster_import", args=["harbour", roster_import.pk])

    page = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"})

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "django_htmx/htmx-2.min.js" in page
    assert '<progress id="roster-progress-bar" max="4" value="1">25%</progress>' in page
    assert "1 of 4 rows imported (25%)" in page
    body = fragment.content.decode()
    assert "<html" not in body and f'hx-get="{url}"' in body and 'hx-trigger="every 1s"' in body
    assert "HX-Request" in fragment["Vary"]


def test_a_finished_import_shows_its_counts_and_stops_refreshing(
    client, bank_admin, django_capture_on_commit_callbacks
):
    done = checked_and_imported(
        bank_admin,
        csv_bytes([HEADER, ["ann@example.org"], ["bad"]]),
        django_capture_on_commit_callbacks,
    )
    client.force_login(bank_admin.user)
    url = reverse("roster_import", args=["harbour", done.pk])

    page = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert "1 new account" in page and "1 person added to Harbour City Bank" in page
    assert 'http-equiv="refresh"' not in page and "Import 1 person" not in page
    assert "1 new account" in fragment and "hx-trigger" not in fragment


# --- Who may do it ------------------------------------------------------------------------------


def test_a_member_who_is_not_an_admin_gets_403(client, bank_admin):
    roster_import = check(bank_admin, csv_bytes([HEADER, ["ann@example.org"]]))
    manager = MembershipFactory(organization=bank_admin.organization, role=Role.MANAGER)
    client.force_login(manager.user)

    assert client.get(reverse("roster_upload", args=["harbour"])).status_code == 403
    assert upload(client, bank_admin, csv_bytes([HEADER, ["x@example.org"]])).status_code == 403
    assert client.get(reverse("roster_example", args=["harbour"])).status_code == 403
    assert (
        client.get(reverse("roster_import", args=["harbour", roster_import.pk])).status_code == 403
    )
    assert (
        client.post(reverse("roster_start", args=["harbour", roster_import.pk])).status_code == 403
    )
    assert RosterImport.objects.get().status == ImportStatus.PREVIEWED


def test_another_organisations_admin_gets_404_for_our_pages_and_our_import(
    client, bank_admin, other_org_admin
):
    roster_import = check(bank_admin, csv_bytes([HEADER, ["ann@example.org"]]))
    client.force_login(other_org_admin.user)

    for slug in ("harbour", "elsewhere"):
        preview = reverse("roster_import", args=[slug, roster_import.pk])
        start = reverse("roster_start", args=[slug, roster_import.pk])
        assert client.get(preview).status_code == 404
        assert client.get(preview, headers={"HX-Request": "true"}).status_code == 404
        assert client.post(start).status_code == 404
    assert client.get(reverse("roster_upload", args=["harbour"])).status_code == 404
    assert upload(client, bank_admin, csv_bytes([HEADER, ["x@example.org"]])).status_code == 404
    assert RosterImport.objects.get().status == ImportStatus.PREVIEWED


# --- In a real Celery worker ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_import_runs_in_a_real_worker_and_its_result_is_read_back(
    bank_admin, tasks_to_test_worker
):
    group = Group.objects.create(
        organization=bank_admin.organization, name="Retail", kind="department"
    )
    rows = [HEADER, *([f"p{n}@example.org", "", "", "Retail", ""] for n in range(1_500))]
    roster_import = check(bank_admin, csv_bytes(rows))

    start_import(bank_admin, roster_import)  # enqueued after commit, routed to our queue

    done = wait_until(
        lambda: RosterImport.objects.filter(
            pk=roster_import.pk, status__in=[ImportStatus.DONE, ImportStatus.FAILED]
        ).first(),
        timeout=60,
        worker=tasks_to_test_worker,
    )
    assert done.status == ImportStatus.DONE, done.error
    assert (done.processed, done.created_users, done.added_members) == (1_500, 1_500, 1_500)
    assert group.members.count() == 1_500


@pytest.mark.django_db
def test_the_tick_requeues_an_import_whose_worker_died(
    bank_admin, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from awareness.tick import tick
    from training.people.models import ImportStatus, RosterImport

    long_ago = timezone.now() - timedelta(hours=1)
    stalled = RosterImport.objects.create(
        organization=bank_admin.organization,
        file_name="staff.csv",
        status=ImportStatus.RUNNING,
        heartbeat_at=long_ago,
        total=1,
        rows=[
            {
                "email": "amy@harbour.example",
                "first_name": "",
                "last_name": "",
                "group": None,
                "role": "learner",
            }
        ],
    )
    fresh = RosterImport.objects.create(
        organization=bank_admin.organization,
        file_name="new.csv",
        status=ImportStatus.RUNNING,
        heartbeat_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        tick()

    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.RUNNING  # still alive: left alone
    assert stalled.status == ImportStatus.QUEUED and stalled.heartbeat_at > long_ago
    import_roster(stalled.pk)  # what the worker that takes the requeued task does
    stalled.refresh_from_db()
    assert stalled.status == ImportStatus.DONE and stalled.created_users == 1
