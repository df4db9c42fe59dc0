"""The README's table of environment variables names every variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(
    r"""(?:env(?:\.\w+)?|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_environment_variable_of_the_settings_is_in_the_readme():
    settings = (ROOT / "vpi_portal" / "settings.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    variables = set(READ.findall(settings))
    assert len(variables) > 20
    assert sorted(name for name in variables if f"`{name}`" not in readme) == []
