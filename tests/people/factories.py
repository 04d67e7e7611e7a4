import functools

import factory
from django.contrib.auth.hashers import make_password

from training.people.models import (
    Group,
    GroupKind,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
)

PASSWORD = "correct horse battery staple"


@functools.cache
def shared_password_hash() -> str:
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # One Argon2 hash shared by every test user: hashing costs ~0.1 s each, and a test with
    # hundreds of people would spend its time there.
    password = factory.LazyFunction(lambda: shared_password_hash())


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Harbour City Bank {n}")
    slug = factory.Sequence(lambda n: f"harbour-city-bank-{n}")
    kind = OrganizationKind.BANK


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.LEARNER


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    kind = GroupKind.CLASS
