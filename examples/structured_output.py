"""Structured output: the answer is parsed and validated against a JSON schema.

python examples/structured_output.py
"""

from __future__ import annotations

from cortex import LLMRouter, TaskType

CANDIDATES = ["gimp", "krita", "inkscape", "pinta"]
SCHEMA = {
    "type": "object",
    "properties": {"package": {"type": "string", "enum": CANDIDATES}},
    "required": ["package"],
}


def main() -> None:
    with LLMRouter() as router:
        c = router.complete(
            "Candidates: " + ", ".join(CANDIDATES) + ".\nRequest: an image editor like Photoshop.\n"
            'Answer as JSON: {"package": NAME}.',
            task=TaskType.PACKAGE_SELECTION,
            schema=SCHEMA,
            max_tokens=30,
        )
        print(c.data["package"], f"(chosen by {c.provider})")


if __name__ == "__main__":
    main()
