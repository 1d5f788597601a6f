"""Commands return ExitCode members, never bare integers (the documented codes live in one IntEnum)."""

from __future__ import annotations

import ast
from pathlib import Path

import cortex.cli

CLI = Path(cortex.cli.__file__).parent


def bare_integer_returns(source: str) -> list[int]:
    """Line numbers of `return <int literal>` (booleans excluded) in `source`."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant) and type(node.value.value) is int
    ]


def test_no_command_returns_a_bare_integer():
    found = {p.name: bare_integer_returns(p.read_text(encoding="utf-8")) for p in sorted(CLI.glob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_check_sees_one():
    assert bare_integer_returns("def run():\n    return 0\n") == [2]
    assert bare_integer_returns("def run():\n    return ExitCode.OK\n") == []
