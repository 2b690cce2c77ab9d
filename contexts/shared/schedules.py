"""Each context registers its robot jobs here; they are installed as django-q2 schedules
after every migrate, so a fresh database gets them without a manual step."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    minutes: int


_jobs: dict[str, Job] = {}


def register(name: str, func: str, *, minutes: int) -> None:
    _jobs[name] = Job(name=name, func=func, minutes=minutes)


def registered() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def install(**_kwargs) -> None:
    from django_q.models import Schedule

    for job in registered():
        Schedule.objects.update_or_create(
            name=job.name,
            defaults={
                "func": job.func,
                "schedule_type": Schedule.MINUTES,
                "minutes": job.minutes,
                "repeats": -1,
            },
        )
