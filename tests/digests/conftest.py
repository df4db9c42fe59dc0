import pytest

from digests import selectors, services


@pytest.fixture(autouse=True)
def _fresh_run_memos():
    """What a worker keeps across the chunks of a run is forgotten between tests, whose
    data differ under the same moments."""
    selectors._run_candidates.clear()
    services._public_blocks.clear()
    yield
    selectors._run_candidates.clear()
    services._public_blocks.clear()
