"""Writes of the people side, split by sub-domain; import from here."""

from training.people.services.accounts import (
    create_pseudonymous_account,
    register_user,
    reset_pseudonymous_password,
)
from training.people.services.api_tokens import create_api_token, revoke_api_token
from training.people.services.classes import (
    add_to_group,
    create_group,
    create_students,
    delete_group,
    join_group,
    join_group_as_new_student,
    remove_from_group,
    rename_group,
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
from training.people.services.members import add_member, update_member
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
    "add_member",
    "add_to_group",
    "change_role",
    "check_dns",
    "check_roster",
    "confirm_code",
    "confirm_domain_link",
    "create_api_token",
    "create_group",
    "create_organization",
    "create_pseudonymous_account",
    "create_students",
    "deactivate_member",
    "decline_invitation",
    "delete_group",
    "import_roster",
    "invite",
    "join_group",
    "join_group_as_new_student",
    "register_user",
    "remove_domain",
    "remove_from_group",
    "remove_phone",
    "rename_group",
    "reset_pseudonymous_password",
    "reset_student_password",
    "revoke_api_token",
    "revoke_invitation",
    "roster_example_csv",
    "send_code",
    "send_domain_link",
    "set_join_open",
    "set_phone",
    "start_import",
    "update_member",
]
