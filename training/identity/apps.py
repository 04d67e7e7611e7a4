from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Single sign-on (OpenID Connect) per organisation, and who may sign in how."""

    name = "training.identity"
    label = "identity"
    verbose_name = "Identity"

    def ready(self):
        # people's log-in asks these hooks: people sits below identity and cannot import it.
        from training.identity import selectors
        from training.people import sign_in

        sign_in.redirect_hooks.append(selectors.sso_start_url_for_address)
        sign_in.refusal_hooks.append(selectors.password_refusal)
