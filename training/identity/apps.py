from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Single sign-on (OpenID Connect) per organisation, and who may sign in how."""

    name = "training.identity"
    label = "identity"
    verbose_name = "Identity"

    def ready(self):
        # people's log-in asks these hooks: people sits below identity and cannot import it.
        from django.contrib.auth.signals import user_logged_in

        from training.identity import gates, selectors
        from training.people import sign_in

        user_logged_in.connect(gates.note_two_factor_orgs, dispatch_uid="identity-2fa-orgs")
        sign_in.redirect_hooks.append(selectors.sso_start_url_for_address)
        sign_in.refusal_hooks.append(selectors.password_refusal)
