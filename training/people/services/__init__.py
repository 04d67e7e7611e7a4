"""Writes of the people side, split by sub-domain; import from here."""

from training.people.services.accounts import (
    create_pseudonymous_account,
    register_user,
    reset_pseudonymous_password,
)
from training.people.services.classes import (
    assign_modules,
    create_group,
    create_students,
    join_group,
    join_group_as_new_student,
    reset_student_password,
    set_join_open,
)
from training.people.services.domains import (
    add_domain,
    check_dns,
    confirm_domain_link,
    remove_domain,
    send_domain_link,
)
from training.people.services.invitations import (
    accept_invitation,
    decline_invitation,
    invite,
    revoke_invitation,
)
from training.people.services.organizations import (
    change_role,
    create_organization,
    deactivate_member,
)
from training.people.services.phones import (
    confirm_code,
    remove_phone,
    send_code,
    set_phone,
)
from training.people.services.roster import (
    check_roster,
    import_roster,
    roster_example_csv,
    start_import,
)

__all__ = [
    "accept_invitation",
    "add_domain",
    "assign_modules",
    "change_role",
    "check_dns",
    "check_roster",
    "confirm_code",
    "confirm_domain_link",
    "create_group",
    "create_organization",
    "create_pseudonymous_account",
    "create_students",
    "deactivate_member",
    "decline_invitation",
    "import_roster",
    "invite",
    "join_group",
    "join_group_as_new_student",
    "register_user",
    "remove_domain",
    "remove_phone",
    "reset_pseudonymous_password",
    "reset_student_password",
    "revoke_invitation",
    "roster_example_csv",
    "send_code",
    "send_domain_link",
    "set_join_open",
    "set_phone",
    "start_import",
]
