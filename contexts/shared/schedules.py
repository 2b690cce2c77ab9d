"""Each context registers its robot jobs here; they are installed as django-q2 schedules
after every migrate, so a fresh database gets them without a manual step.

A job runs every `minutes`, or `every=HOURLY` / `every=DAILY` at a local time `at` (the
minute past each hour, or the time of day, in settings.TIME_ZONE). With Q_CLUSTER's
`catch_up: False`, a cluster that was down runs a missed job once, then keeps to its times."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

MINUTES = "minutes"
HOURLY = "hourly"
DAILY = "daily"


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    minutes: int | None = None
    every: str = MINUTES
    at: time | None = None

    def first_run(self, now: datetime) -> datetime | None:
        """The first time at or after `now` (aware, local) that the job is due; None for a
        job every few minutes (due at once)."""
        if self.every == MINUTES:
            return None
        if self.every == HOURLY:
            due = now.replace(minute=self.at.minute, second=self.at.second, microsecond=0)
            return due if due >= now else due + timedelta(hours=1)
        due = now.replace(hour=self.at.hour, minute=self.at.minute, second=self.at.second, microsecond=0)
        return due if due >= now else due + timedelta(days=1)

    def keeps_time(self, next_run: datetime, now: datetime) -> bool:
        """Whether an installed schedule's next run (local) is one of this job's times and not
        beyond the next one, so installing again leaves it alone, even when it is overdue."""
        fields = ("minute", "second") if self.every == HOURLY else ("hour", "minute", "second")
        on_time = (
            all(getattr(next_run, f) == getattr(self.at, f) for f in fields) and not next_run.microsecond
        )
        return on_time and next_run <= self.first_run(now)


_jobs: dict[str, Job] = {}


def register(
    name: str, func: str, *, minutes: int | None = None, every: str = MINUTES, at: time | None = None
) -> None:
    if every == MINUTES:
        if not minutes or at is not None:
            raise ValueError("a job every few minutes names its minutes, and no time")
    elif every in (HOURLY, DAILY):
        if at is None or minutes is not None:
            raise ValueError("an hourly or daily job names its local time `at`, and no minutes")
    else:
        raise ValueError(f"unknown schedule {every!r}")
    _jobs[name] = Job(name=name, func=func, minutes=minutes, every=every, at=at)


def registered() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def install(**_kwargs) -> None:
    from django.utils import timezone
    from django_q.models import Schedule

    types = {MINUTES: Schedule.MINUTES, HOURLY: Schedule.HOURLY, DAILY: Schedule.DAILY}
    now = timezone.localtime()
    for job in registered():
        defaults = {
            "func": job.func,
            "schedule_type": types[job.every],
            "minutes": job.minutes,
            "repeats": -1,
        }
        if job.every != MINUTES:
            current = Schedule.objects.filter(name=job.name).values_list("next_run", flat=True).first()
            if current is None or not job.keeps_time(timezone.localtime(current), now):
                defaults["next_run"] = job.first_run(now)
        Schedule.objects.update_or_create(name=job.name, defaults=defaults)
