from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "contexts.identity"
    label = "identity"
    verbose_name = _("Users and logins")

    def ready(self) -> None:
        from contexts.identity.adapters.directory import IdentityUserDirectory
        from contexts.shared.bootstrap import provide
        from contexts.shared.domain.ports import UserDirectory

        provide(UserDirectory, IdentityUserDirectory())
