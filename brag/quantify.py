"""The guide's second rule: "Quantify everything." A hint, never a block."""

import re

# Digits, or the words people use for amounts ("halved", "a dozen", "three teams").
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundreds?|thousands?|millions?|dozens?|half|halved|double[ds]?|twice|"
    r"triple[ds]?|tenfold)\b",
    re.IGNORECASE,
)

HINT = "How much, how many, how fast, for how many people? A number makes the impact land."


def is_quantified(text: str) -> bool:
    return bool(_NUMBER.search(text or ""))
