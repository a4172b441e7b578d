from django.apps import AppConfig


class BragConfig(AppConfig):
    name = "brag"
    verbose_name = "Brag documents"
