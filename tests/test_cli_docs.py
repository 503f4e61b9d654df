"""Every CLI command and option is documented in README.md (the datasette habit)."""
import argparse
from pathlib import Path

from khabar.cli import _register_extras, build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands():
    _register_extras()
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                opts = [o for a in sub._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
                yield name, opts


def test_every_command_and_option_documented():
    missing = []
    for name, opts in _commands():
        if f"khabar {name}" not in README:
            missing.append(f"command `khabar {name}`")
        for o in opts:
            if o not in README:
                missing.append(f"option {o} of `khabar {name}`")
    assert not missing, "README.md does not document: " + ", ".join(missing)
