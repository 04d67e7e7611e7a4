"""The members page's read: one keyset page of an organisation's members, searched and
filtered, fast with 100,000 of them (each filter walks an index in id order and stops after
a page; see the member_page* indexes and tests/people/test_member_list.py)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from training.people.models import Group, Membership

PAGE_SIZE = 50


class Activation:
    ACTIVATED = "activated"
    NOT_ACTIVATED = "not-activated"


@dataclass(frozen=True)
class MemberPage:
    members: list
    # The id to continue after, or None on the last page.
    next_after: int | None


def members_page(
    membership: Membership,
    *,
    search: str = "",
    group: Group | None = None,
    role: str = "",
    activation: str = "",
    after: int | None = None,
) -> MemberPage:
    """Members in the order they joined. Search matches the start of the first name, last
    name or e-mail address, or the whole HR id, for every word typed."""
    members = Membership.objects.filter(organization_id=membership.organization_id)
    for word in search.split()[:5]:
        members = members.filter(
            Q(user__first_name__istartswith=word)
            | Q(user__last_name__istartswith=word)
            | Q(user__email__istartswith=word)
            | Q(external_id=word)
        )
    if group is not None:
        members = members.filter(groups=group)
    if role:
        members = members.filter(role=role)
    if activation == Activation.ACTIVATED:
        members = members.filter(activated_at__isnull=False)
    elif activation == Activation.NOT_ACTIVATED:
        members = members.filter(activated_at__isnull=True)
    if after is not None:
        members = members.filter(pk__gt=after)
    rows = list(
        members.select_related("user")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("pk")[: PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return MemberPage(rows, rows[-1].pk if more else None)
