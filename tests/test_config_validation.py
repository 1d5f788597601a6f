"""The configuration schema at load: types, ranges, known keys with a did-you-mean; files that are not
UTF-8, too large, or YAML alias bombs; and what `config show`, `doctor`, `install` and `models` do then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cortex import paths
from cortex.cli.main import main
from cortex.config import Settings, load_defaults
from cortex.errors import ConfigError
from cortex.exit_codes import ExitCode
from cortex.system import yamlio

BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def write_config(text: str | bytes) -> Path:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_error(text: str | bytes) -> ConfigError:
    path = write_config(text)
    with pytest.raises(ConfigError) as info:
        Settings.load(env={})
    assert str(path) in info.value.message, info.value.message
    return info.value


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("providers: 5\n", "`providers`", "expected a mapping (of claude, kimi, openai, ollama, local)"),
        ("provider: evil\n", "`provider`", "expected a known provider"),
        ("provider: 7\n", "`provider`", "expected a provider name"),
        ("routing: 5\n", "`routing`", "expected a mapping (of profile, tasks)"),
        ("limits:\n  timeout: -1\n", "`limits.timeout`", "expected a number greater than 0"),
        ("limits:\n  timeout: 0\n", "`limits.timeout`", "expected a number greater than 0"),
        ("limits:\n  timeout: .nan\n", "`limits.timeout`", "expected a number"),
        ("limits:\n  timeout: fast\n", "`limits.timeout`", "expected a number"),
        ("limits:\n  max_retries: 2.5\n", "`limits.max_retries`", "expected a whole number from 0 to 20"),
        ("limits:\n  concurrency: 0\n", "`limits.concurrency`", "of at least 1"),
        ("limits:\n  backoff: -0.5\n", "`limits.backoff`", "expected a number of at least 0"),
        ("budget:\n  daily_usd: true\n", "`budget.daily_usd`", "expected a number"),
        ("install:\n  local_model: 3\n", "`install.local_model`", "expected true or false"),
        ("routing:\n  profile: fastest\n", "`routing.profile`", "one of: cloud-first, local-first, auto"),
        ("routing:\n  tasks: [claude]\n", "`routing.tasks`", "expected a mapping of task type"),
        ("routing:\n  tasks:\n    chatting: [claude]\n", "unknown task type 'chatting'", ""),
        ("routing:\n  tasks:\n    user_chat: [claude, evil]\n", "`routing.tasks.user_chat`", "a known provider"),
        ("providers:\n  ollama:\n    base_url: ftp://x\n", "`providers.ollama.base_url`", "http:// or https:// URL"),
        ("providers:\n  local:\n    top_p: 2\n", "`providers.local.top_p`", "from 0 to 1"),
        ("providers:\n  claude:\n    max_tokens: 0\n", "`providers.claude.max_tokens`", "of at least 1"),
        ("providers:\n  kimi:\n    thinking: maybe\n", "`providers.kimi.thinking`", "true or false"),
        ("providers:\n  kimi:\n    concurrency: 0\n", "`providers.kimi.concurrency`", "of at least 1"),
    ],
)
def test_wrong_type_or_range_names_file_key_and_expectation(text, key, expected):
    err = load_error(text)
    assert key in err.message and expected in err.message
    assert err.exit_code == ExitCode.CONFIG and "Fix or remove" in err.hint


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("provder: claude\n", "did you mean `provider`?"),
        ("limits:\n  timout: 5\n", "did you mean `limits.timeout`?"),
        ("timeout: 5\n", "did you mean `limits.timeout`?"),
        ("providers:\n  claud:\n    api_key: x\n", "there is no provider 'claud' (did you mean `claude`?)"),
        ("providers:\n  ollama:\n    modle: llama3.2\n", "did you mean `providers.ollama.model`?"),
    ],
)
def test_unknown_keys_are_errors_with_a_did_you_mean(text, suggestion):
    assert suggestion in load_error(text).message


def test_several_problems_are_counted_in_the_one_error():
    err = load_error("provider: evil\nlimits:\n  timeout: -1\n  deadline: 0\n")
    assert "`provider`" in err.message and "(2 more problem(s) there)" in err.message


def test_valid_configs_load_and_empty_sections_are_fine():
    write_config(
        "provider: ollama:llama3.2:3b\nrouting:\n  profile: local-first\n  tasks:\n    User-Chat: [ollama, ...]\n"
        "limits:\n  timeout: 2.5\n  max_retries: 0\nproviders:\n  claude:\n  ollama: {model: llama3.2, rpm: 30}\n"
        "breaker: {}\n"
    )
    s = Settings.load(env={})
    assert s.get("limits.timeout") == 2.5 and s.get("providers.ollama.model") == "llama3.2"


def test_the_defaults_themselves_satisfy_the_schema():
    from cortex import config_schema
    from cortex.config import _schema_context

    defaults = load_defaults()
    assert config_schema.problems(defaults, defaults, _schema_context()) == []


def test_environment_values_are_checked_and_named_by_variable():
    with pytest.raises(ConfigError) as info:
        Settings.load(env={"CORTEX_TIMEOUT": "-3"})
    assert (
        "environment variable CORTEX_TIMEOUT" in info.value.message and "`limits.timeout` is -3" in info.value.message
    )
    with pytest.raises(ConfigError) as info:
        Settings.load(env={"CORTEX_PROVIDER": "evil"})
    assert "environment variable CORTEX_PROVIDER" in info.value.message
    assert Settings.load(env={"CORTEX_TIMEOUT": "7.5"}).get("limits.timeout") == 7.5


def test_flags_are_checked_too():
    with pytest.raises(ConfigError) as info:
        Settings.load(env={}, flags={"provider": "nonesuch"})
    assert "the command line" in info.value.message and "`provider` is 'nonesuch'" in info.value.message


def test_a_dotenv_value_names_the_variable_and_the_file():
    env_file = paths.env_file()
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.write_text("CORTEX_DAILY_BUDGET_USD=lots\n")
    with pytest.raises(ConfigError) as info:
        Settings.load(env={})
    assert f"CORTEX_DAILY_BUDGET_USD in {env_file}" in info.value.message


def test_config_that_is_not_utf8_is_a_clear_error():
    err = load_error(b"provider: ollama\nlimits:\n  timeout: \xff\xfe\n")
    assert "is not UTF-8 text (byte 0xff on line 3)" in err.message and "UTF-8" in err.hint


def test_dotenv_that_is_not_utf8_is_a_clear_error():
    env_file = paths.env_file()
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.write_bytes(b"OLLAMA_MODEL=caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        Settings.load(env={})
    assert str(env_file) in info.value.message and "not UTF-8" in info.value.message


def test_alias_bomb_and_recursive_alias_are_refused_before_expansion():
    assert "expands to more than" in load_error(BOMB).message
    assert "recursive alias" in load_error("a: &a [*a]\n").message
    assert "not valid YAML" in load_error("a: " + "[" * 2000 + "]" * 2000 + "\n").message


def test_a_few_aliases_are_still_fine():
    text = "x: &chain [claude, kimi]\ny: *chain\nz: *chain\n"
    assert yamlio.load(text, untrusted=True) == {
        "x": ["claude", "kimi"],
        "y": ["claude", "kimi"],
        "z": ["claude", "kimi"],
    }
    many = "a: &a 1\n" + "".join(f"k{i}: *a\n" for i in range(yamlio.MAX_ALIASES + 1))
    with pytest.raises(yamlio.TooComplex, match="more than 64 aliases"):
        yamlio.load(many, untrusted=True)


def test_an_oversized_config_file_is_refused():
    assert "larger than 1 MiB" in load_error("# padding\n" * 120_000).message


def test_a_config_that_is_not_a_mapping():
    assert "must hold a mapping of settings, not list" in load_error("- provider\n").message


@pytest.mark.parametrize(
    "text",
    ["providers: 5\n", "limits:\n  timeout: -1\n", b"provider: \xff\n", BOMB],
    ids=["type", "range", "utf8", "bomb"],
)
def test_commands_exit_7_with_one_clear_error(text, capsys):
    path = write_config(text)
    for argv in (["config", "show"], ["models", "--json"], ["ask", "hi"], ["install", "hello"], ["history"]):
        code = main(argv)
        captured = capsys.readouterr()
        if argv == ["history"]:  # history reads no settings: it keeps working with a broken config
            assert code == 0, captured.err
            continue
        assert code == ExitCode.CONFIG, (argv, captured.err)
        assert str(path) in captured.err and "Traceback" not in captured.err and "internal error" not in captured.err
        if "--json" in argv:
            assert json.loads(captured.out)["error"] == "ConfigError"


@pytest.mark.parametrize("text", ["provider: evil\n", b"\xff\xfe\n", BOMB], ids=["schema", "utf8", "bomb"])
def test_doctor_reports_a_broken_config_as_a_failure(text, capsys):
    write_config(text)
    assert main(["doctor", "--json"]) == ExitCode.DOCTOR_FAILURES
    doc = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in doc["checks"]}
    assert doc["status"] == "failures" and checks["configuration"]["status"] == "fail"
    assert str(paths.config_file()) in checks["configuration"]["detail"]
    assert "history database" in checks  # the checks that need no settings still run
    assert main(["doctor"]) == ExitCode.DOCTOR_FAILURES
    assert "FAIL" in capsys.readouterr().out


def test_doctor_with_a_valid_config_does_not_fail_on_configuration(capsys):
    write_config("limits:\n  timeout: 30\n")
    main(["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["configuration"]["status"] == "ok"


def test_config_set_refuses_a_value_the_schema_rejects(capsys):
    assert main(["config", "set", "limits.timeout", "-5"]) == ExitCode.CONFIG
    assert "`limits.timeout` is -5" in capsys.readouterr().err


KEYS = sorted({*load_defaults(), "routing", "providers", "limits", "providers.ollama", "nonsense.key", "routing.tasks"})
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12), st.just(10**400), st.just("...")
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_layer_is_accepted_or_refused_with_a_config_error(values):
    from cortex.config import Layer

    s = Settings(layers=[Layer("file:/x/config.yaml", values)], defaults=load_defaults())
    try:
        s.validate()
    except ConfigError as exc:
        assert "config file /x/config.yaml" in exc.message


@given(st.text(max_size=200))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_config_text_loads_or_is_one_config_error(text):
    write_config(text)
    try:
        Settings.load(env={})
    except ConfigError as exc:
        assert str(paths.config_file()) in exc.message
