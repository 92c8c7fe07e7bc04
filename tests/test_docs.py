"""The documentation stays true: the README's commands, CI, and every CLI command documented."""

from __future__ import annotations

import re
from pathlib import Path

from g60kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    """The two set-up commands: the code blocks of the README's set-up section."""
    section = README.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```\n(.*?)```", section, flags=re.S)]


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("g60kg all") and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_every_cli_command_is_in_the_readme() -> None:
    for name in main.commands:
        assert f"g60kg {name}" in README, f"README does not mention g60kg {name}"


def test_documents_the_readme_links_to_exist() -> None:
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link
