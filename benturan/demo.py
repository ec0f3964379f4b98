"""Demo data for benturan kepentingan (filled in by the issue's demo step)."""


def seed(units: dict, users: dict) -> list[str]:
    return []
