"""Roster import: a CSV or XLSX of staff or students is checked first (a dry run that changes
nothing but its own RosterImport row), then imported by a Celery job in chunks of bulk writes,
with progress on the row."""

import csv
import io
import logging
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from awareness.safety.services import record_audit
from training.people.models import (
    AgeBand,
    Group,
    ImportStatus,
    Membership,
    Organization,
    Role,
    RosterImport,
    User,
)
from training.people.selectors import require_admin

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
CHUNK_SIZE = 1_000
COLUMNS = ("email", "first_name", "last_name", "group", "role")
NAME_MAX_LENGTH = 150  # AbstractUser.first_name and last_name
EMAIL_MAX_LENGTH = 254
USERNAME_MAX_LENGTH = 150
XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (OLE2)
HEADER_ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "e_mail_address": "email",
    "firstname": "first_name",
    "given_name": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "department": "group",
    "class": "group",
}
ROLE_ALIASES = {
    "": Role.LEARNER,
    "learner": Role.LEARNER,
    "student": Role.LEARNER,
    "educator": Role.EDUCATOR,
    "teacher": Role.EDUCATOR,
    "manager": Role.MANAGER,
    "admin": Role.ADMIN,
    "administrator": Role.ADMIN,
}
# An import may promote an existing member but never demotes one, and never touches owners.
ROLE_RANK = {Role.LEARNER: 0, Role.EDUCATOR: 1, Role.MANAGER: 1, Role.ADMIN: 2, Role.OWNER: 3}
USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")  # what UnicodeUsernameValidator refuses


# --- Checking a file (the dry run) -------------------------------------------------------------


def check_roster(
    actor: Membership, *, file_name: str, content: bytes, now: datetime
) -> RosterImport:
    """Parse and validate a roster; the valid rows, normalised, and a problem per bad cell are
    kept on a new PREVIEWED RosterImport. A file that cannot be read at all raises
    ValidationError and saves nothing. `now` is unused while RosterImport.created_at is
    auto_now_add; it keeps the signature of the other services."""
    require_admin(actor)
    header, records = read_roster_file(content)
    columns = _columns(header)
    if not records:
        raise ValidationError(_("The file has a header row but nobody under it."), code="empty")
    organization = actor.organization
    groups_exact, groups_folded = _groups_by_name(organization)
    roles = _role_names()
    rows: list[dict] = []
    problems: list[dict] = []
    first_row_of: dict[str, int] = {}

    for number, values in records:
        found: list[str] = []
        email = _cell(values, columns, "email").lower()
        if not email:
            found.append(_("The e-mail address is missing."))
        elif not _is_email(email):
            found.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
        elif email in first_row_of:
            found.append(
                _("“%(email)s” is already in row %(row)s.")
                % {"email": email, "row": first_row_of[email]}
            )
        else:
            first_row_of[email] = number

        group_name = _cell(values, columns, "group")
        group_id = None
        if group_name:
            group_id = groups_exact.get(group_name, groups_folded.get(group_name.casefold()))
            if group_id is None:
                found.append(
                    _("There is no %(word)s called “%(name)s”.")
                    % {"word": organization.group_word, "name": group_name}
                )

        role_text = _cell(values, columns, "role")
        role = roles.get(role_text.casefold())
        if role is None:
            if role_text.casefold() in (Role.OWNER.value, str(Role.OWNER.label).casefold()):
                found.append(
                    _("Owners cannot be imported: import them as admin, then make them owner.")
                )
            else:
                found.append(
                    _("“%(role)s” is not a role: use learner, educator, manager or admin.")
                    % {"role": role_text}
                )

        first_name = _cell(values, columns, "first_name")
        last_name = _cell(values, columns, "last_name")
        if len(first_name) > NAME_MAX_LENGTH or len(last_name) > NAME_MAX_LENGTH:
            found.append(
                _("Names can be at most %(most)s characters long.") % {"most": NAME_MAX_LENGTH}
            )

        if found:
            problems.extend({"row": number, "message": message} for message in found)
        else:
            rows.append(
                {
                    "row": number,
                    "email": email,
                    "first_name": first_name,
                    "last_name": last_name,
                    "role": role,
                    "group": group_id,
                }
            )

    return RosterImport.objects.create(
        organization=organization,
        created_by=actor,
        file_name=file_name[:200],
        rows=rows,
        problems=problems,
        status=ImportStatus.PREVIEWED,
        total=len(rows),
    )


def read_roster_file(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank data rows with their spreadsheet row numbers (header = 1).
    XLSX is told from CSV by its content, never by the file name."""
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(most)s MB. Split it into smaller files.")
            % {"most": MAX_FILE_BYTES // (1024 * 1024)},
            code="too_big",
        )
    if content.startswith(XLSX_MAGIC):
        table = _xlsx_table(content)
    elif content.startswith(XLS_MAGIC):
        raise ValidationError(
            _("Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or as CSV UTF-8."),
            code="wrong_type",
        )
    else:
        table = _csv_table(content)

    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    for number, values in enumerate(table, start=1):
        if header is None:
            header = values
            continue
        if not any(value.strip() for value in values):
            # Blank rows keep their number, so later rows match what the spreadsheet shows.
            if number > 2 * MAX_ROWS:
                raise _too_many_rows()
            continue
        records.append((number, values))
        if len(records) > MAX_ROWS:
            raise _too_many_rows()
    if header is None or not any(title.strip() for title in header):
        raise ValidationError(
            _("The first row must name the columns: email, first_name, last_name, group, role."),
            code="no_header",
        )
    return header, records


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The file has more than %(most)s rows. Split it into smaller files.")
        % {"most": f"{MAX_ROWS:,}"},
        code="too_many_rows",
    )


def _not_a_table() -> ValidationError:
    return ValidationError(
        _(
            "This is not a CSV or Excel (.xlsx) file we can read. Save the sheet as "
            "“CSV UTF-8” or as an Excel workbook (.xlsx)."
        ),
        code="wrong_type",
    )


def _csv_table(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_a_table() from None
    if "\x00" in text:
        raise _not_a_table()
    # Excel in many locales saves "CSV" with semicolons; the header line tells which it is.
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise _not_a_table() from None


def _xlsx_table(content: bytes) -> Iterator[list[str]]:
    # An uploaded archive can fail in many ways (not a workbook, a corrupt sheet, a .docx):
    # each is the uploader's bad file, never a server error.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise _not_a_table() from None
    try:
        sheet = workbook.worksheets[0]
        header = [_cell_text(value) for value in next(sheet.iter_rows(values_only=True), ())]
        while header and not header[-1]:
            header.pop()
        yield header
        if header:
            # Only as wide as the header: a sheet may claim thousands of empty columns.
            for values in sheet.iter_rows(min_row=2, max_col=len(header), values_only=True):
                yield [_cell_text(value) for value in values]
    except Exception:
        raise _not_a_table() from None
    finally:
        workbook.close()


def _cell(values: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return values[index].strip() if index is not None and index < len(values) else ""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = re.sub(r"[\s\-]+", "_", title.strip().lower())
        key = HEADER_ALIASES.get(key, key)
        if key in COLUMNS and key not in columns:
            columns[key] = index
    if "email" not in columns:
        if any("@" in title for title in header):
            raise ValidationError(
                _(
                    "The first row looks like a person, not column names. Add a header row: "
                    "email, first_name, last_name, group, role."
                ),
                code="no_header",
            )
        raise ValidationError(
            _("The file has no “email” column. The first row must name the columns: %(names)s.")
            % {"names": ", ".join(COLUMNS)},
            code="no_email_column",
        )
    return columns


def _groups_by_name(organization: Organization) -> tuple[dict[str, int], dict[str, int]]:
    exact, folded = {}, {}
    for group_id, name in Group.objects.filter(organization=organization).values_list("pk", "name"):
        exact[name] = group_id
        folded.setdefault(name.casefold(), group_id)
    return exact, folded


def _role_names() -> dict[str, str]:
    """Role words accepted in the file: the values, a few synonyms and the labels in the
    uploader's language."""
    names = dict(ROLE_ALIASES)
    for role in (Role.LEARNER, Role.EDUCATOR, Role.MANAGER, Role.ADMIN):
        names.setdefault(str(role.label).casefold(), role.value)
    return names


def _is_email(email: str) -> bool:
    if len(email) > EMAIL_MAX_LENGTH:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def roster_example_csv(organization: Organization) -> str:
    """A small roster in the expected format, using the organisation's own groups."""
    names = [*organization.groups.order_by("name").values_list("name", flat=True)[:2], "", ""]
    first, second = names[0], names[1] or names[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(["mei.chan@example.org", "Mei", "Chan", first, "learner"])
    writer.writerow(["tom.lee@example.org", "Tom", "Lee", second, ""])
    writer.writerow(["ada.wong@example.org", "Ada", "Wong", first, "manager"])
    return out.getvalue()


# --- Starting and running the import -----------------------------------------------------------


def start_import(actor: Membership, roster_import: RosterImport) -> RosterImport:
    """Queue a checked roster for import. The PREVIEWED->QUEUED update is the claim, so a
    double click queues one job."""
    # the tasks module imports this one: imported when the work is queued
    from training.people.tasks import import_roster as import_roster_task

    require_admin(actor)
    if roster_import.organization_id != actor.organization_id:
        raise PermissionDenied
    if roster_import.total == 0:
        raise ValidationError(_("Nobody can be imported: every row has a problem."))
    with transaction.atomic():
        claimed = RosterImport.objects.filter(
            pk=roster_import.pk, status=ImportStatus.PREVIEWED
        ).update(status=ImportStatus.QUEUED, heartbeat_at=timezone.now())
        if claimed:
            import_id = roster_import.pk
            record_audit(
                actor=actor.user,
                organization=actor.organization,
                action="roster.import_started",
                target=roster_import,
                details={"rows": roster_import.total},
            )
            transaction.on_commit(lambda: import_roster_task.delay(import_id))
    roster_import.refresh_from_db(fields=["status"])
    return roster_import


STALLED_AFTER = timedelta(minutes=10)


def resume_stalled_imports(*, now: datetime) -> int:
    """Requeue jobs whose worker died mid-import or whose task was lost before a worker took
    it; importing again is safe, so the tick can simply hand them back to the queue."""
    # the tasks module imports this one: imported when the work is queued
    from training.people.tasks import import_roster as import_roster_task

    waiting = (ImportStatus.QUEUED, ImportStatus.RUNNING)
    stalled = RosterImport.objects.filter(
        status__in=waiting, heartbeat_at__lt=now - STALLED_AFTER
    ).values_list("pk", flat=True)
    resumed = 0
    for import_id in list(stalled):
        with transaction.atomic():
            if RosterImport.objects.filter(
                pk=import_id, status__in=waiting, heartbeat_at__lt=now - STALLED_AFTER
            ).update(status=ImportStatus.QUEUED, heartbeat_at=now):
                transaction.on_commit(lambda i=import_id: import_roster_task.delay(i))
                resumed += 1
    return resumed


def import_roster(roster_import_id: int) -> None:
    """The Celery job's work. Claimed QUEUED->RUNNING first, so a second run does nothing; each
    chunk commits with its progress. Importing the same rows again changes nothing."""
    claimed = RosterImport.objects.filter(pk=roster_import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, processed=0, heartbeat_at=timezone.now()
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.only(
        "organization_id", "rows", "created_users", "added_members"
    ).get(pk=roster_import_id)
    progress = RosterImport.objects.filter(pk=roster_import_id)
    # A resumed job keeps what the interrupted run already counted.
    created_users, added_members = roster_import.created_users, roster_import.added_members
    try:
        rows = roster_import.rows
        organization_id = roster_import.organization_id
        # A group deleted since the check is skipped rather than failing the whole import.
        group_ids = set(
            Group.objects.filter(
                organization_id=organization_id,
                pk__in={row["group"] for row in rows if row["group"]},
            ).values_list("pk", flat=True)
        )
        for start in range(0, len(rows), CHUNK_SIZE):
            chunk = rows[start : start + CHUNK_SIZE]
            with transaction.atomic():
                created, added = _import_chunk(organization_id, chunk, group_ids)
                created_users += created
                added_members += added
                progress.update(
                    processed=start + len(chunk),
                    created_users=created_users,
                    added_members=added_members,
                    heartbeat_at=timezone.now(),
                )
    except Exception as error:
        logger.exception("Roster import %s failed", roster_import_id)
        progress.update(
            status=ImportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return
    with transaction.atomic():
        progress.update(status=ImportStatus.DONE, finished_at=timezone.now())
        done = progress.select_related("organization").defer("rows", "problems").get()
        record_audit(
            organization=done.organization,
            action="roster.imported",
            target=done,
            details={"created_users": created_users, "added_members": added_members},
        )


def _import_chunk(organization_id: int, chunk: list[dict], group_ids: set[int]) -> tuple[int, int]:
    user_ids, created = _ensure_users(chunk)
    memberships, added = _ensure_memberships(organization_id, chunk, user_ids)
    Through = Group.members.through
    Through.objects.bulk_create(
        [
            Through(group_id=row["group"], membership_id=memberships[user_ids[row["email"]]])
            for row in chunk
            if row["group"] in group_ids and user_ids[row["email"]] in memberships
        ],
        ignore_conflicts=True,
    )
    return created, added


def _users_by_email(emails: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Lower-cased e-mail -> (user id, username). The e-mail != '' filter lets PostgreSQL use
    the partial unique index on lower(email)."""
    return {
        email: (pk, username)
        for email, pk, username in User.objects.exclude(email="")
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(emails))
        .values_list("email_lower", "pk", "username")
    }


def _ensure_users(chunk: list[dict]) -> tuple[dict[str, int], int]:
    """The user id of every row's e-mail, creating the missing accounts in bulk."""
    found = {email: pk for email, (pk, _name) in _users_by_email(r["email"] for r in chunk).items()}
    missing = [row for row in chunk if row["email"] not in found]
    created = 0
    # ignore_conflicts: an account made meanwhile by someone else (same e-mail or username)
    # is skipped, not an error; the next round picks it up or retries with another username.
    for attempt in range(3):
        if not missing:
            break
        usernames = _new_usernames([row["email"] for row in missing], random_only=attempt > 0)
        User.objects.bulk_create(
            [
                User(
                    username=username,
                    email=row["email"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    age_band=AgeBand.ADULT,
                    password=_unusable_password(),
                )
                for row, username in zip(missing, usernames, strict=True)
            ],
            ignore_conflicts=True,
        )
        ours = dict(zip((row["email"] for row in missing), usernames, strict=True))
        for email, (pk, username) in _users_by_email(ours).items():
            found[email] = pk
            created += username == ours[email]
        missing = [row for row in missing if row["email"] not in found]
    if missing:
        raise RuntimeError(f"could not create accounts for {len(missing)} e-mail addresses")
    return found, created


def _unusable_password() -> str:
    """What make_password(None) stores, without its 40 calls to secrets.choice: a third of the
    import's time at 10,000 rows."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _new_usernames(emails: list[str], *, random_only: bool) -> list[str]:
    """Usernames from the e-mail addresses: the part before the @ if free, else the whole
    address, else the part before the @ with a random suffix. Unique ignoring case."""
    if random_only:
        return [_with_suffix(_local_part(email)) for email in emails]
    choices = [(_local_part(email), _safe_username(email)) for email in emails]
    wanted = {name for pair in choices for name in pair if name}
    taken = set(
        User.objects.annotate(name=Lower("username"))
        .filter(name__in=wanted)
        .values_list("name", flat=True)
    )
    usernames = []
    for local, whole in choices:
        username = next(
            (name for name in (local, whole) if name and name not in taken),
            _with_suffix(local),
        )
        taken.add(username)
        usernames.append(username)
    return usernames


def _safe_username(text: str) -> str:
    name = USERNAME_UNSAFE.sub("", text)
    return name if len(name) <= USERNAME_MAX_LENGTH else ""


def _local_part(email: str) -> str:
    return _safe_username(email.rsplit("@", 1)[0])[:100] or "user"


def _with_suffix(name: str) -> str:
    return f"{name}-{secrets.token_hex(3)}"


def _ensure_memberships(
    organization_id: int, chunk: list[dict], user_ids: dict[str, int]
) -> tuple[dict[int, int], int]:
    """Active membership id per user id, adding the missing members in bulk. An existing
    member may be promoted to the file's role, never demoted; owners and ended memberships
    are left alone."""
    members = Membership.objects.filter(
        organization_id=organization_id, user_id__in={user_ids[r["email"]] for r in chunk}
    )
    existing = {
        user_id: (pk, role, is_active)
        for user_id, pk, role, is_active in members.values_list(
            "user_id", "pk", "role", "is_active"
        )
    }
    new = {}
    promotions = defaultdict(list)
    for row in chunk:
        user_id = user_ids[row["email"]]
        if user_id not in existing:
            new.setdefault(
                user_id,
                Membership(organization_id=organization_id, user_id=user_id, role=row["role"]),
            )
            continue
        pk, role, is_active = existing[user_id]
        if is_active and ROLE_RANK[row["role"]] > ROLE_RANK[role]:
            promotions[row["role"]].append(pk)
    Membership.objects.bulk_create(new.values(), ignore_conflicts=True)
    for role, pks in promotions.items():
        Membership.objects.filter(pk__in=pks).exclude(role=Role.OWNER).update(role=role)
    active = dict(members.filter(is_active=True).values_list("user_id", "pk"))
    return active, len(new)
