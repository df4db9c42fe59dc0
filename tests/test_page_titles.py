"""Every page names itself in its title, apart from the portal's name: "Roadmap · VPI Portal"."""

import re

import pytest
from django.urls import reverse

from tests.conftest import PERSONA_NAMES
from tests.test_permission_matrix import ROWS, stage  # noqa: F401 (the matrix's fixture)

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
PAGE_ROWS = [
    pytest.param(row, id=row.id)
    for row in ROWS
    # Django's admin titles its pages its own way ("Administration | VPI Portal admin").
    if row.method == "GET" and "200" in row.own.split() and not row.name.startswith("admin:")
]


@pytest.mark.parametrize("row", PAGE_ROWS)
def test_the_title_is_the_page_then_the_portal_never_run_together(stage, client_for, row):  # noqa: F811
    persona = PERSONA_NAMES[row.own.split().index("200")]
    url = reverse(row.name, kwargs=row.kwargs(stage, stage.own) if row.kwargs else None)
    response = client_for(persona).get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return
    match = TITLE.search(response.content.decode())
    if match is None:  # a fragment, not a page
        return
    title = " ".join(match.group(1).split())
    assert re.fullmatch(r"\S.* · VPI Portal", title), f"{url}: {title!r}"
