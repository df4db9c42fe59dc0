import pytest

from tests.privacy.canaries import CanaryWorld, plant_canaries
from tests.test_permission_matrix import stage  # noqa: F401 (the matrix's objects)

# What the harness walked, for the summary at the end of the run: channel -> set of
# (what, persona) pairs.
WALKED: dict[str, set[tuple[str, str]]] = {}


@pytest.fixture
def canary_world(stage) -> CanaryWorld:  # noqa: F811
    return plant_canaries(stage)


def record(channel: str, what: str, persona: str) -> None:
    WALKED.setdefault(channel, set()).add((what, persona))


def pytest_terminal_summary(terminalreporter) -> None:
    if not WALKED:
        return
    terminalreporter.section("privacy harness")
    for channel, pairs in sorted(WALKED.items()):
        kinds = {what for what, _ in pairs}
        personas = {persona for _, persona in pairs}
        terminalreporter.write_line(
            f"{channel}: {len(kinds)} × {len(personas)} personas = {len(pairs)} checked"
        )
