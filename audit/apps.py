from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import signals
        from .history import saved_by_update

        signals.connect()
        # Writes that bypass save() (careerladder.editing.save_if_current, a queryset update)
        # announce themselves with this signal, where the project defines it; the trail then
        # records them like a save.
        from careerladder import editing

        signal = getattr(editing, "saved_by_update", None)
        if signal is not None:
            signal.connect(saved_by_update, dispatch_uid="audit.saved_by_update")
