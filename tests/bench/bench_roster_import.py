"""Benchmark: check and import a roster of 10,000 people in 20 groups, next to a baseline
measured in the same run (a plain bulk_create of 10,000 bare User rows).

    DEBUG=true .venv/bin/python tests/bench/bench_roster_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_roster \\
        DEBUG=true .venv/bin/python tests/bench/bench_roster_import.py

Nothing persistent is written: SQLite lives under a temporary VAR_DIR, and with DATABASE_URL
Django's test database (test_<name>) is created beside the named one and dropped at the end.
"""

import io

from django.utils import timezone
from harness import database_version, throwaway_database, timed  # first: sets up Django
from openpyxl import Workbook

from training.people.models import (
    Group,
    GroupKind,
    ImportStatus,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    RosterImport,
    User,
)
from training.people.services import check_roster, import_roster

ROWS = 10_000
GROUPS = 20
ROLES = ["learner"] * 17 + ["", "educator", "manager"]


def roster_rows() -> list[list[str]]:
    return [
        ["email", "first_name", "last_name", "group", "role"],
        *(
            [
                f"Person.{n}@Bench.example",
                f"First{n}",
                f"Last{n}",
                f"group {n % GROUPS}",
                ROLES[n % len(ROLES)],
            ]
            for n in range(ROWS)
        ),
    ]


def as_csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(row) for row in rows) + "\r\n").encode()


def as_xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def queue(roster_import: RosterImport) -> None:
    """start_import's claim, without sending a message to whatever broker this shell points at."""
    RosterImport.objects.filter(pk=roster_import.pk).update(status=ImportStatus.QUEUED)


def run() -> list[tuple[str, float, str]]:
    organization = Organization.objects.create(
        name="Bench Bank", slug="bench", kind=OrganizationKind.BANK
    )
    admin_user = User.objects.create(username="bench-admin", email="admin@bench.example")
    admin = Membership.objects.create(organization=organization, user=admin_user, role=Role.ADMIN)
    admin = Membership.objects.select_related("organization").get(pk=admin.pk)
    Group.objects.bulk_create(
        Group(organization=organization, name=f"Group {n}", kind=GroupKind.DEPARTMENT)
        for n in range(GROUPS)
    )
    results = []

    bare = [User(username=f"bare{n}", email=f"bare{n}@baseline.example") for n in range(ROWS)]
    seconds, _ = timed(User.objects.bulk_create, bare)
    results.append(("baseline: bulk_create of bare Users", seconds, ""))

    rows = roster_rows()
    csv_content, xlsx_content = as_csv(rows), as_xlsx(rows)
    now = timezone.now()

    seconds, checked = timed(
        check_roster, admin, file_name="staff.csv", content=csv_content, now=now
    )
    assert checked.total == ROWS and not checked.problems, checked.problems[:3]
    results.append((f"check_roster, CSV ({len(csv_content) // 1024} KiB)", seconds, ""))

    seconds, from_xlsx = timed(
        check_roster, admin, file_name="staff.xlsx", content=xlsx_content, now=now
    )
    assert from_xlsx.rows == checked.rows
    results.append((f"check_roster, XLSX ({len(xlsx_content) // 1024} KiB)", seconds, ""))

    queue(checked)
    seconds, _ = timed(import_roster, checked.pk)
    done = RosterImport.objects.get(pk=checked.pk)
    assert done.status == ImportStatus.DONE, done.error
    assert (done.created_users, done.added_members) == (ROWS, ROWS)
    assert Group.members.through.objects.count() == ROWS
    results.append(
        ("import_roster, new people", seconds, f"{done.created_users:,} users, members, links")
    )

    again = check_roster(admin, file_name="staff.csv", content=csv_content, now=now)
    queue(again)
    seconds, _ = timed(import_roster, again.pk)
    again.refresh_from_db()
    assert (again.created_users, again.added_members) == (0, 0)
    results.append(("import_roster, same file again", seconds, "0 created, 0 added"))
    return results


def report(results: list[tuple[str, float, str]]) -> None:
    baseline = results[0][1]
    print(f"\nRoster import benchmark: {ROWS:,} rows in {GROUPS} groups, {database_version()}")
    print(f"{'step':44} {'seconds':>8} {'rows/s':>9} {'x baseline':>10}  note")
    for name, seconds, note in results:
        print(f"{name:44} {seconds:8.3f} {ROWS / seconds:9,.0f} {seconds / baseline:10.1f}  {note}")
    imported = results[3][1]
    verdict = "OK" if imported < 60 else "TOO SLOW"
    print(f"\n{ROWS:,} rows imported in {imported:.1f} s (must be well under 60 s): {verdict}")


def main() -> None:
    with throwaway_database():
        report(run())


if __name__ == "__main__":
    main()
