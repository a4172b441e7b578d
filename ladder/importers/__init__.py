"""Ladder readers, one module per format, each returning the same LadderSpec. The format is
detected from the content; `read_ladder(..., format=...)` forces one."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..ladder_file import FORMAT as V1
from ..ladder_file import parse_ladder
from ..spec import MAX_FILE_CHARACTERS, LadderFileError, LadderSpec, refuse_bidi_controls_in
from . import ft, monzo

Reader = Callable[[str, str], LadderSpec]

# name -> (what a person reads, reader)
FORMATS: dict[str, tuple[str, Reader]] = {
    V1: ("Careerladder YAML (careerladder/v1)", parse_ladder),
    monzo.FORMAT: ("Monzo framework Markdown with YAML front matter", monzo.parse),
    ft.FORMAT: ("Financial Times job-family YAML", ft.parse),
}


def detect_format(text: str) -> str | None:
    """The format a text is written in, from its content alone, or None."""
    body = text.lstrip("\ufeff")
    # YAML files first: one may open with a "---" document marker, as Monzo's front matter does.
    if re.search(r"^format:\s*[\"']?careerladder/", body, re.MULTILINE):
        return V1
    if ft.looks_like(body):
        return ft.FORMAT
    if monzo.looks_like(body):
        return monzo.FORMAT
    return None


def read_ladder(text: str, source: str, *, format: str | None = None) -> tuple[LadderSpec, str]:
    """Read a ladder file of any known format: (spec, format). Raises LadderFileError naming the
    file, the line and the field on the first problem; never anything else."""
    if len(text) > MAX_FILE_CHARACTERS:
        raise LadderFileError(
            f"the file is {len(text)} characters long; the limit is {MAX_FILE_CHARACTERS}",
            source=source,
            line=None,
            field=None,
        )
    if not text.strip("\ufeff \t\r\n"):
        raise LadderFileError("the file is empty", source=source, line=None, field=None)
    if format is None:
        format = detect_format(text)
        if format is None:
            raise LadderFileError(
                "this is not a ladder file of a known format (known: "
                + "; ".join(f"{label} [{name}]" for name, (label, _) in FORMATS.items())
                + ")",
                source=source,
                line=None,
                field=None,
            )
    elif format not in FORMATS:
        raise LadderFileError(
            f"unknown format {format!r} (known: {', '.join(FORMATS)})",
            source=source,
            line=None,
            field=None,
        )
    try:
        spec = FORMATS[format][1](text.lstrip("\ufeff"), source)
    except RecursionError:
        raise LadderFileError(
            "the file is nested too deeply to be a ladder", source=source, line=None, field=None
        ) from None
    refuse_bidi_controls_in(spec, source)
    return spec, format
