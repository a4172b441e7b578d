"""Placeholder: being written."""

from ..spec import LadderFileError, LadderSpec

FORMAT = "monzo"


def looks_like(text: str) -> bool:
    return text.startswith("---")


def parse(text: str, source: str) -> LadderSpec:
    raise LadderFileError("not yet", source=source, line=None, field=None)
