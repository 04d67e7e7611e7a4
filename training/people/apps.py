from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Accounts, organisations, memberships, groups and classes."""

    name = "training.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Every way in (password, sign-in link, set-up link, class code) ends in login():
        # hooking it once activates members however they came.
        user_logged_in.connect(_activate_members, dispatch_uid="people.activate_members")


def _activate_members(sender, request, user, **kwargs) -> None:
    from django.utils import timezone

    from training.people.services.sign_in import note_sign_in

    note_sign_in(user, timezone.now())
