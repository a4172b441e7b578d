"""Static files that work whether or not `collectstatic` has run.

In production the stylesheet and scripts are served with hashed, compressed names from
STATIC_ROOT, listed in the manifest that `collectstatic` writes (`bin/start` runs it). Without
that step Django's manifest storage fails on every `{% static %}`, so every page would be a 500.
This storage falls back to the plain names instead, which whitenoise serves from the apps' own
static folders (WHITENOISE_USE_FINDERS), and says once in the log that the step is missing.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ManifestOrPlainStaticFilesStorage(CompressedManifestStaticFilesStorage):
    collected = False
    _warned = False

    def read_manifest(self) -> str | None:
        content = super().read_manifest()
        # Read once, when the storage is made: a process started before collectstatic keeps
        # the plain names until it restarts, which bin/start's order never causes.
        self.collected = content is not None
        return content

    def stored_name(self, name: str) -> str:
        if self.collected:
            return super().stored_name(name)
        if not self._warned:
            self._warned = True
            logger.warning(
                "No static files manifest in %s: serving static files under their plain names. "
                "Run `manage.py collectstatic` (bin/start does) for hashed, compressed ones.",
                self.location,
            )
        return name
