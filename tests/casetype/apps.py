from django.apps import AppConfig


class CasetypeConfig(AppConfig):
    """A small case type ('uji') that exercises the core without depending on any real case app."""

    name = "tests.casetype"
    label = "casetype"

    def ready(self):
        # Imported here, not at the top: the kind reads the models, which exist only once apps are loaded.
        from cases import registry
        from tests.casetype.kind import KIND

        registry.register(KIND)
