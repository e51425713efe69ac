"""The CLI reference in docs/cli.md is generated from --help and must match the code."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date(tmp_path: Path) -> None:
    generated = tmp_path / "cli.md"
    subprocess.run([sys.executable, "-m", "typer", "ceasefire.cli", "utils", "docs", "--name", "ceasefire",
                    "--output", str(generated)], check=True, capture_output=True)
    assert generated.read_text() == (REPO / "docs" / "cli.md").read_text(), "run `make docs` and commit docs/cli.md"


def test_readme_shows_the_two_commands_first() -> None:
    first_screen = "\n".join((REPO / "README.md").read_text().splitlines()[:40])
    assert "make demo" in first_screen and "make test" in first_screen
