"""One access gate for organisation pages, as the API has its permission classes: the
membership in the page's organisation is resolved once, its role checked, and passed in.
Another organisation (or none) is a 404; a member without the role gets 403."""

from collections.abc import Callable
from functools import wraps

from training.people.selectors import membership_in, require_admin, require_staff

ROLE_CHECKS: dict[str, Callable | None] = {
    "member": None,
    "staff": require_staff,
    "admin": require_admin,
}


def org_view(role: str = "member"):
    """`@org_view(role="admin")` above a view `def page(request, org, ..., *, membership)`.
    It sits under `login_required` and the method checks, which keep their order."""
    check = ROLE_CHECKS[role]

    def decorate(view):
        @wraps(view)
        def gated(request, org, *args, **kwargs):
            membership = membership_in(request.user, org)
            if check is not None:
                check(membership)
            return view(request, org, *args, membership=membership, **kwargs)

        return gated

    return decorate
