from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "via_platform.demo"
    label = "demo"
    verbose_name = "Demo content"
