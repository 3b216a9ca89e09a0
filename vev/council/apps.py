from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "vev.council"
    label = "council"
    verbose_name = _("Council")

    def ready(self) -> None:
        from vev.accounts.policies import register_mfa_requirement

        from .permissions import user_requires_mfa

        register_mfa_requirement(user_requires_mfa)
