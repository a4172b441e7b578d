"""The decision a promotion round records on one packet."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundField

from careerladder.text import RefuseBidiControls, refuse_bidi_controls

from .packet_models import MatrixStatus, Outcome, PromotionPacket

CLOSE_MAX = 2000


def close_field(key: str) -> str:
    return f"close_{key}"


class DecisionForm(RefuseBidiControls, forms.Form):
    """Promoted, or not yet; a reason either way. "Not yet" names at least one dimension of the
    packet's ladder version as a gap, with what would close each one."""

    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Pick an outcome: promoted or not yet."},
    )
    reason = forms.CharField(
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The subject and their managers read it.",
        error_messages={"required": "Give the reason for the decision."},
    )
    gaps = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="For “not yet”: the dimensions that are gaps",
        error_messages={"invalid_choice": "Name dimensions of this packet's ladder."},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        packet: PromotionPacket,
        matrix: dict[str, str] | None = None,
    ) -> None:
        # One form per packet on the round page: ids must not collide; names stay plain.
        super().__init__(data, auto_id=f"decide{packet.pk}-%s")
        self.packet = packet
        self.dimensions = list(packet.ladder_version.spec.dimensions)
        matrix = matrix or {}
        gaps = cast(forms.MultipleChoiceField, self.fields["gaps"])
        gaps.choices = [
            (
                dimension.key,
                f"{dimension.name} (a gap in the matrix)"
                if matrix.get(dimension.key) == MatrixStatus.GAP
                else dimension.name,
            )
            for dimension in self.dimensions
        ]
        for dimension in self.dimensions:
            self.fields[close_field(dimension.key)] = forms.CharField(
                required=False,
                max_length=CLOSE_MAX,
                # Added after the mixin ran: the rule is given here.
                validators=[refuse_bidi_controls],
                label=f"What would close the gap in {dimension.name}",
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": "What would close it?"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") != Outcome.NOT_YET:
            return cleaned
        named = cleaned.get("gaps") or []
        if not named and "gaps" not in self.errors:
            self.add_error("gaps", "“Not yet” names at least one dimension that is a gap.")
        for key in named:
            if not (cleaned.get(close_field(key)) or "").strip():
                self.add_error(close_field(key), "Say what would close this gap.")
        return cleaned

    def decision(self) -> dict[str, Any]:
        """The arguments of `round_services.decide`, from valid data. Gaps named with
        "promoted" are dropped: a decision names gaps only when it says "not yet"."""
        cleaned = self.cleaned_data
        gaps = []
        if cleaned["outcome"] == Outcome.NOT_YET:
            gaps = [
                {"dimension_key": key, "to_close": cleaned[close_field(key)].strip()}
                for key in cleaned["gaps"]
            ]
        return {"outcome": cleaned["outcome"], "reason": cleaned["reason"], "gaps": gaps}

    def gap_fields(self) -> list[tuple[Any, BoundField]]:
        """Each dimension's checkbox beside its "what would close it" box, in ladder order."""
        return [
            (choice, self[close_field(dimension.key)])
            for choice, dimension in zip(self["gaps"], self.dimensions, strict=True)
        ]
