"""Demo data, filled by each app in its AppConfig.ready() and run by `manage.py seed_demo`.

A seeder must be idempotent (get_or_create, update_or_create): seed_demo runs on every `make run`.
It returns the demo logins it made, as (role, e-mail) pairs, for the command to print.
"""

from collections.abc import Callable

Seeder = Callable[[], list[tuple[str, str]]]

DEMO_PASSWORD = "convene-demo-2026"  # noqa: S105 - printed for the newcomer on purpose

_seeders: list[tuple[int, str, Seeder]] = []


def register_demo(order: int) -> Callable[[Seeder], Seeder]:
    def decorator(seeder: Seeder) -> Seeder:
        name = f"{seeder.__module__}.{seeder.__qualname__}"
        if all(existing != name for _order, existing, _fn in _seeders):
            _seeders.append((order, name, seeder))
        return seeder

    return decorator


def seeders() -> list[Seeder]:
    return [fn for _order, _name, fn in sorted(_seeders, key=lambda s: (s[0], s[1]))]
