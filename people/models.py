"""Who sits where: people, the teams they belong to, and who manages whom."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ladder.models import Ladder, Level, Track


def validate_time_zone(value: str) -> None:
    # A validator rather than choices: the list of zones changes with tzdata, and choices
    # would make migrations depend on the machine they were made on.
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone; use a name such as Europe/London.")


class UserQuerySet(models.QuerySet):
    def managers_of(self, user: User) -> Self:
        """The people who manage `user`: those with the manager role in a team where `user` is
        an engineer. Access rules across the app ("my managers") rest on this one answer."""
        return self._sharing_a_team(
            user, as_role=Membership.Role.ENGINEER, theirs=Membership.Role.MANAGER
        )

    def reports_of(self, user: User) -> Self:
        """The people `user` manages: engineers of every team where `user` is a manager."""
        return self._sharing_a_team(
            user, as_role=Membership.Role.MANAGER, theirs=Membership.Role.ENGINEER
        )

    def teammates_of(self, user: User) -> Self:
        """Engineers who share a team with `user` as engineers (not their managers)."""
        return self._sharing_a_team(
            user, as_role=Membership.Role.ENGINEER, theirs=Membership.Role.ENGINEER
        )

    def _sharing_a_team(self, user: User, *, as_role: str, theirs: str) -> Self:
        """Others with role `theirs` in the teams where `user` has role `as_role`: one query."""
        teams = Membership.objects.filter(user=user, role=as_role).values("team")
        return (
            self.filter(memberships__team__in=teams, memberships__role=theirs)
            .exclude(pk=user.pk)
            .distinct()
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("Every person needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: signs in by email; sits on a track of the ladder at a current level and may
    aim for a target level."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text="Staff can use the admin and import ladders."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    weekly_reminder = models.BooleanField(
        "Friday reminder",
        default=True,
        help_text="Email me on Friday afternoon when I have logged nothing that week.",
    )
    # The local date the last Friday reminder went out: never twice in one week.
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    current_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="people_at"
    )
    target_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="people_aiming"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0]

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        errors = {}
        track = self.track
        for field in ("current_level", "target_level"):
            level = getattr(self, field)
            if level is None:
                continue
            if track is None:
                errors[field] = "Pick a track first."
            elif level.track_id != track.pk:
                errors[field] = f"Pick a level of the {track.name} track."
        if track is not None and "track" not in errors:
            ladders = self.team_ladders()
            if ladders and track.ladder_id not in {ladder.pk for ladder in ladders}:
                names = ", ".join(ladder.name for ladder in ladders)
                errors["track"] = f"Pick a track of your team's ladder ({names})."
        if (
            "current_level" not in errors
            and "target_level" not in errors
            and self.current_level
            and self.target_level
            and self.target_level.order < self.current_level.order
        ):
            errors["target_level"] = "The target level cannot be below the current level."
        if errors:
            raise ValidationError(errors)

    def ladder(self) -> Ladder | None:
        """The ladder this person is read against: their track's; else their first team's
        (engineer teams first); else the default ladder."""
        if self.track is not None:
            return self.track.ladder
        return self.team_ladders()[0] if self.team_ladders() else Ladder.objects.default()

    def team_ladders(self) -> list[Ladder]:
        """The ladders of this person's teams, engineer memberships first, without repeats."""
        if not self.pk:
            return []
        if not hasattr(self, "_team_ladders"):
            default = None
            ladders: dict[int, Ladder] = {}
            memberships = self.memberships.select_related("team__ladder").order_by(
                "role", "team__name"
            )
            for membership in memberships:
                ladder = membership.team.ladder
                if ladder is None:
                    default = default or Ladder.objects.default()
                    ladder = default
                if ladder is not None:
                    ladders.setdefault(ladder.pk, ladder)
            self._team_ladders = list(ladders.values())
        return self._team_ladders

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self) -> dt.date:
        return timezone.localdate(timezone=self.zone)

    def managers(self) -> UserQuerySet:
        return User.objects.managers_of(self)

    def reports(self) -> UserQuerySet:
        return User.objects.reports_of(self)

    def teammates(self) -> UserQuerySet:
        return User.objects.teammates_of(self)


class TeamManager(models.Manager["Team"]):
    def get_by_natural_key(self, slug: str) -> Team:
        return self.get(slug=slug)


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    ladder = models.ForeignKey(
        Ladder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        help_text="The ladder this team's people are read against. Empty: the default ladder.",
    )
    handbook_url = models.URLField(
        "team handbook",
        blank=True,
        help_text="Where the team keeps its systems: onboarding docs, runbooks, templates. "
        "Engineers are pointed there when glue work piles up on them.",
    )
    # Glue-work signals, per team (the guide's advice: make it visible, balance it).
    glue_share_limit = models.PositiveSmallIntegerField(
        "carrying the glue above",
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percent of the team's glue entries in a quarter that one person may log "
        "before the team's managers are told that they carry the glue (1-100).",
    )
    unrecognised_after_days = models.PositiveSmallIntegerField(
        "unrecognised after",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days after which a glue entry that no manager acknowledged is flagged (1-365).",
    )
    members = models.ManyToManyField(User, through="Membership", related_name="teams")

    objects = TeamManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        # The slug rather than the name: both are unique, and the slug is the key-like one
        # (in URLs, rarely renamed). The instance export names teams by it.
        return (self.slug,)

    def clean(self) -> None:
        super().clean()
        if self.pk is None:
            return
        ladder = self.ladder if self.ladder_id else Ladder.objects.default()
        elsewhere = (
            User.objects.filter(memberships__team=self, track__isnull=False)
            .exclude(track__ladder=ladder)
            .distinct()
        )
        names = [person.display_name for person in elsewhere[:6]]
        if names:
            shown = ", ".join(names[:5]) + (" and more" if len(names) > 5 else "")
            raise ValidationError(
                {
                    "ladder": f"{shown} of this team {'is' if len(names) == 1 else 'are'} on a "
                    "track of another ladder; move them to a track of this ladder first."
                }
            )

    def get_ladder(self) -> Ladder | None:
        return self.ladder if self.ladder_id else Ladder.objects.default()


class Membership(models.Model):
    class Role(models.TextChoices):
        ENGINEER = "engineer", "Engineer"
        MANAGER = "manager", "Manager"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ENGINEER)

    class Meta:
        ordering = ["team", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} in {self.team}"


class LevelChange(models.Model):
    """A person's level history: each move of their current level, when it took effect, why."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="level_changes")
    track = models.ForeignKey(Track, on_delete=models.SET_NULL, null=True, related_name="+")
    from_level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_level = models.ForeignKey(Level, on_delete=models.SET_NULL, null=True, related_name="+")
    # The labels as they read then: the ladder may change later.
    from_label = models.CharField(max_length=250, blank=True)
    to_label = models.CharField(max_length=250)
    effective = models.DateField()
    reason = models.CharField(max_length=250)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-effective", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.from_label or '—'} → {self.to_label} ({self.effective})"
