"""The packet's forms. Each edit form carries the packet version and the digest of the section
it started from (see packet_services), and ids of its own, so that many sit on one page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from brag.models import BragEntry
from careerladder.ids import IdsChoiceField, parse_id
from careerladder.text import (
    BIDI_MESSAGE,
    RefuseBidiControls,
    has_bidi_controls,
    refuse_bidi_controls,
)
from ladder.models import Level

from .models import ReviewCycle
from .packet_models import (
    MAX_PROJECTS,
    Archetype,
    MatrixStatus,
    PacketProject,
    PromotionPacket,
    Recommendation,
)
from .packet_services import (
    ARCHETYPE_HELP,
    AUDIT_QUESTIONS,
    SECTIONS,
    ProjectInput,
    section_digest,
)

ANSWER_MAX = 4000
RELOAD = "This form is out of date: reload the page."


def _posted(data: Any) -> QueryDict:
    """A bound form's data: every view binds these forms to request.POST, a QueryDict, whose
    getlist reads a field posted many times (the Mapping the stubs give has no getlist)."""
    return cast(QueryDict, data)


class PacketStartForm(RefuseBidiControls, forms.Form):
    cycle = forms.ModelChoiceField(
        queryset=ReviewCycle.objects.all(),
        error_messages={
            "required": "Pick the review cycle.",
            "invalid_choice": "Pick one of the review cycles.",
        },
    )
    target_level = forms.ModelChoiceField(
        queryset=Level.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Pick a level of the ladder."},
    )


class VersionedForm(RefuseBidiControls, forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": RELOAD, "invalid": RELOAD, "min_value": RELOAD},
    )
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def hidden_errors(self) -> list[str]:
        return [*self["version"].errors, *self["base"].errors]


class SectionForm(VersionedForm):
    """One of the packet's own sections: a text, the archetype, or the summary with the
    recommendation. Fields named as the packet's."""

    def __init__(
        self, data: Any = None, *, packet: PromotionPacket, section: str, **kwargs: Any
    ) -> None:
        names = SECTIONS[section].fields
        initial = {
            "version": packet.version,
            "base": section_digest(packet, section),
            **{name: getattr(packet, name) for name in names},
        }
        super().__init__(data, initial=initial, auto_id=f"id_{section}_%s", **kwargs)
        self.section = section
        for name, formfield in forms.fields_for_model(PromotionPacket, fields=names).items():
            # Added after the mixin ran: the rule is given here.
            formfield.validators = [*formfield.validators, refuse_bidi_controls]
            self.fields[name] = formfield
        if "archetype" in self.fields:
            self.fields["archetype"] = forms.ChoiceField(
                label="Archetype",
                choices=[("", "Not said"), *Archetype.choices],
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Pick one of the archetypes."},
            )
        if "recommendation" in self.fields:
            self.fields["recommendation"] = forms.ChoiceField(
                label="Recommendation",
                choices=[("", "None yet"), *Recommendation.choices],
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Recommend “promote” or “not yet”."},
            )
        for name in names:
            if isinstance(self.fields[name].widget, forms.Textarea):
                self.fields[name].widget.attrs.update({"rows": 6})

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SECTIONS[self.section].fields if name != "recommendation"]

    @property
    def archetype_choices(self) -> list[tuple[str, str, str]]:
        return [(member.value, member.label, ARCHETYPE_HELP[member]) for member in Archetype]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SECTIONS[self.section].fields}


@dataclass
class ProjectRow:
    pk: int
    entry: BragEntry | None
    answers: list[tuple[str, str, str, str]]  # (name, question, field name, value)


class ProjectsForm(VersionedForm):
    """The 3-5 projects: ticked entries, in the order posted, each with the impact audit
    (posted as `p<entry id>-<answer>`). Only the subject's entries the editor may read."""

    def __init__(
        self,
        data: Any = None,
        *,
        packet: PromotionPacket,
        choices: list[BragEntry],
        projects: list[PacketProject],
        digest: str,
    ) -> None:
        super().__init__(
            data, initial={"version": packet.version, "base": digest}, auto_id="id_projects_%s"
        )
        self.packet = packet
        self.choices = {entry.pk: entry for entry in choices}
        self.projects = projects

    def _answers(self, pk: int, source: dict[str, str]) -> list[tuple[str, str, str, str]]:
        return [
            (name, question, f"p{pk}-{name}", source.get(name, ""))
            for name, question in AUDIT_QUESTIONS.items()
        ]

    def _posted_ids(self) -> list[str]:
        seen: list[str] = []
        for value in _posted(self.data).getlist("entry"):
            if value not in seen:
                seen.append(value)
        return seen

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        name = self.packet.subject.display_name
        posted = self._posted_ids()
        if any(parse_id(value) not in self.choices for value in posted):
            raise forms.ValidationError(
                f"Pick only {name}’s own brag entries that you can read.", code="entry"
            )
        if len(posted) > MAX_PROJECTS:
            raise forms.ValidationError(
                f"A packet has at most {MAX_PROJECTS} projects: you picked {len(posted)}. "
                f"Untick {len(posted) - MAX_PROJECTS}.",
                code="too_many",
            )
        projects = []
        for value in posted:
            pk = int(value)
            answers = {
                answer: self.data.get(f"p{pk}-{answer}", "").strip() for answer in AUDIT_QUESTIONS
            }
            if any(len(text) > ANSWER_MAX for text in answers.values()):
                raise forms.ValidationError(
                    f"Keep each answer under {ANSWER_MAX:,} characters.", code="too_long"
                )
            if any(has_bidi_controls(text) for text in answers.values()):
                raise forms.ValidationError(BIDI_MESSAGE, code="bidi_control")
            if any("\x00" in text for text in answers.values()):
                # What a CharField refuses for us; these answers are read straight from the post.
                raise forms.ValidationError("Null characters are not allowed.", code="null")
            projects.append(ProjectInput(self.choices[pk], **answers))
        cleaned["projects"] = projects
        return cleaned

    @property
    def rows(self) -> list[ProjectRow]:
        """The ticked projects: as posted when the form comes back with an error, else as saved."""
        if self.is_bound:
            rows = []
            for value in self._posted_ids():
                pk = parse_id(value) or 0
                source = {a: self.data.get(f"p{pk}-{a}", "") for a in AUDIT_QUESTIONS}
                rows.append(ProjectRow(pk, self.choices.get(pk), self._answers(pk, source)))
            return rows
        return [
            ProjectRow(
                project.entry_id,
                self.choices.get(project.entry_id),
                self._answers(project.entry_id, {a: getattr(project, a) for a in AUDIT_QUESTIONS}),
            )
            for project in self.projects
        ]

    @property
    def others(self) -> list[BragEntry]:
        """Entries to add, newest first."""
        ticked = {row.pk for row in self.rows}
        return [entry for pk, entry in self.choices.items() if pk not in ticked]


class MatrixRowForm(VersionedForm):
    status = forms.ChoiceField(
        choices=[("", "No status yet"), *MatrixStatus.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Pick met, gap or not applicable."},
    )
    reason = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why",
    )
    evidence = IdsChoiceField(
        queryset=BragEntry.objects.none(),
        required=False,
        error_messages={"invalid_pk_value": "That is not a brag entry."},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        packet: PromotionPacket,
        key: str,
        status: str,
        reason: str,
        digest: str,
        choices: QuerySet[BragEntry],
    ) -> None:
        initial = {"version": packet.version, "base": digest, "status": status, "reason": reason}
        super().__init__(data, initial=initial, auto_id=f"id_matrix_{key}_%s")
        self.key = key
        evidence = cast(IdsChoiceField, self.fields["evidence"])
        evidence.queryset = choices
        evidence.error_messages["invalid_choice"] = (
            f"Link only {packet.subject.display_name}’s own brag entries that you can read."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        status, reason = cleaned.get("status"), cleaned.get("reason", "")
        if "reason" in self.errors:
            return cleaned  # refused already: "a gap needs a reason" would be a second message
        if status == MatrixStatus.GAP and not reason.strip():
            self.add_error("reason", "Say what is missing: a gap needs a reason.")
        if status == MatrixStatus.NOT_APPLICABLE and not reason.strip():
            self.add_error(
                "reason", "Say why this does not apply: “not applicable” needs a reason."
            )
        return cleaned

    def posted_evidence(self) -> set[int]:
        return (
            {pk for pk in map(parse_id, _posted(self.data).getlist("evidence")) if pk is not None}
            if self.is_bound
            else set()
        )
