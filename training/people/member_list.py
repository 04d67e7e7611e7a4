"""The members page's read: one keyset page of an organisation's members, searched and
filtered, fast with 100,000 of them (each filter walks an index in id order and stops after
a page; see the member_page* indexes and tests/people/test_member_list.py)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from training.people.models import Group, Membership, User

PAGE_SIZE = 50
MAX_WORDS = 5


class Activation:
    ACTIVATED = "activated"
    NOT_ACTIVATED = "not-activated"


@dataclass(frozen=True)
class MemberPage:
    members: list
    # The id to continue after, or None on the last page.
    next_after: int | None


def _matching(members, word: str) -> Q:
    """A whole HR id, if someone has it; else the start of a first name, last name or e-mail
    address. People are matched first (prefix indexes on their upper-cased names, see
    migration 0010), then their memberships."""
    if members.filter(external_id=word).exists():
        return Q(external_id=word)
    people = User.objects.filter(
        Q(first_name__istartswith=word)
        | Q(last_name__istartswith=word)
        | Q(email__istartswith=word)
    )
    return Q(user__in=people.values("pk"))


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
    for word in search.split()[:MAX_WORDS]:
        members = members.filter(_matching(members, word))
    if group is not None:
        # Driven from the group's own index of members, so memberships are never scanned.
        in_group = Group.members.through.objects.filter(group=group).values("membership_id")
        members = members.filter(pk__in=in_group)
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
