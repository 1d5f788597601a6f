"""Help as text: for the terminal (`render`) and as context for a model (`model_context`). Pure."""

from __future__ import annotations

from cortex.assist.offline import Finding, Help

MODEL_HINT = (
    "For answers in plain words, set up a model: `cortex setup ollama` (local), "
    "or set ANTHROPIC_API_KEY or MOONSHOT_API_KEY (cloud)."
)


def _where(f: Finding) -> str:
    if f.package:
        return f"package {f.package}, " + (
            "installed" if f.installed else f"not installed (`cortex install {f.command}`)"
        )
    return "installed" if f.installed else "not installed"


def _title(f: Finding) -> str:
    section = f" ({f.section})" if f.section else ""
    return f"{f.command}{section} — {f.summary}" if f.summary else f.command + section


def render(help: Help, reason: str) -> str:
    """The offline answer, labelled as such, with where each line came from and how to get a model."""
    out = [f"Offline help ({reason}); from this machine's {' and '.join(help.sources) or 'man pages'}:", ""]
    if not help.findings:
        out.append("Nothing on this machine's man pages or package index matches that question.")
    for i, f in enumerate(help.findings):
        if i == 0:
            out.append(_title(f))
            out.append(f"  {_where(f)}")
            if f.synopsis:
                out.append(f"  synopsis: {f.synopsis}")
            out += [f"  {line}" for line in f.lines]
            if f.source == "man page":
                out.append(f"  more: man {f.section + ' ' if f.section else ''}{f.command}")
            else:
                out.append("  (no man page on this machine; from the package index)")
            if len(help.findings) > 1:
                out.append("")
                out.append("Also:")
        else:
            out.append(f"  {_title(f)} [{_where(f)}]")
    out += ["", MODEL_HINT]
    return "\n".join(out) + "\n"


def model_context(help: Help) -> str:
    """The same material for a capable model: facts about this machine it should prefer to its own memory."""
    if not help.findings:
        return ""
    lines = ["Facts from this machine (man pages, package index); prefer them, they match its versions:"]
    for f in help.findings:
        lines.append(f"- {_title(f)}; {_where(f)}")
        if f.synopsis:
            lines.append(f"  synopsis: {f.synopsis}")
        lines += [f"  {line}" for line in f.lines]
    return "\n".join(lines)
