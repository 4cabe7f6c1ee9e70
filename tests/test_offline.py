"""No network use anywhere: every command runs with sockets blocked."""

from __future__ import annotations

import socket

import pytest

from conftest import EXAMPLES

JIEBEI = EXAMPLES / "profile.cn-jiebei-closed.yaml"
COMMANDS = [
    ["plan", JIEBEI, "--format", "json"],
    ["plan", JIEBEI, "--format", "markdown"],
    ["plan", JIEBEI],
    ["metrics", JIEBEI],
    ["payoff", EXAMPLES / "profile.us-maxed-out.yaml", "--extra", "100"],
    ["simulate", JIEBEI, "--months", "24", "--follow-plan"],
    ["check", EXAMPLES / "clients.csv", "--format", "json", "--jobs", "1"],
    ["check", EXAMPLES / "clients.csv", "--portfolio"],
    ["rules", "verify"],
    ["rules", "list"],
    ["rules", "explain", "cn-limit-closed"],
    ["rules", "docs"],
    ["config"],
    ["schema", "profile"],
    ["init"],
]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("creditfix tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(
    "args", COMMANDS, ids=lambda a: " ".join(str(x) for x in a[:2]).replace(str(EXAMPLES) + "/", "")
)
def test_command_runs_offline(run, no_network: None, args: list[object]) -> None:
    result = run(*args)
    assert result.code in (0, 1), result.err
    assert "network" not in result.err
