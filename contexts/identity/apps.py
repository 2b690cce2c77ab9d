from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "contexts.identity"
    label = "identity"
    verbose_name = "Identity (users, tokens, SMS codes)"

    def ready(self) -> None:
        from contexts.identity.adapters.directory import IdentityUserDirectory
        from contexts.shared.bootstrap import provide
        from contexts.shared.domain.ports import UserDirectory

        provide(UserDirectory, IdentityUserDirectory())
