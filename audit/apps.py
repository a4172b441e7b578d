from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from careerladder import editing

        from . import signals
        from .history import saved_by_update

        signals.connect()
        # Writes that bypass save() (careerladder.editing.save_if_current, a queryset update)
        # announce themselves with this signal; the trail records them like a save.
        editing.saved_by_update.connect(saved_by_update, dispatch_uid="audit.saved_by_update")
