"""The guide's second rule: "Quantify everything." A hint, never a block."""

import re

# Digits, or the words people use for amounts ("halved", "a dozen", "three teams").
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundreds?|thousands?|millions?|dozens?|half|halved|double[ds]?|twice|"
    r"triple[ds]?|tenfold)\b",
    re.IGNORECASE,
)

# Shown under the field's help ("how much, how many, how fast…"), so it does not ask again.
HINT = "No number in it yet: a number makes the impact land."


def is_quantified(text: str) -> bool:
    return bool(_NUMBER.search(text or ""))
