from django.apps import AppConfig


class MerchantAccountConfig(AppConfig):
    name = "contexts.merchant_account"
    label = "merchant_account"
    verbose_name = "Merchants and their accounts"

    def ready(self) -> None:
        from contexts.merchant_account import subscribers  # noqa: F401
