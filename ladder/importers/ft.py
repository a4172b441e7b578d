"""Placeholder: being written."""

from ..spec import LadderFileError, LadderSpec

FORMAT = "ft"


def looks_like(text: str) -> bool:
    return False


def parse(text: str, source: str) -> LadderSpec:
    raise LadderFileError("not yet", source=source, line=None, field=None)
