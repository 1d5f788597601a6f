"""Reproducible provisioning: a reviewed lock file of exact package versions, applied without a model.

    lock.py     the lock file's schema (version 1): load and validate, merge a request in, atomic write
    entries.py  lock entries from a plan (`cortex install --lock`) or a recorded transaction
    host.py     the machine: distribution, installed packages (dpkg-query), archive versions, architectures
    state.py    pure drift check: a lock against what is installed
    apply.py    `cortex apply`: drift -> pinned apt-get install -> the install Executor, policy and history
    export.py   the lock as an Ansible playbook or a POSIX shell script

Nothing here imports a model provider: applying a lock never asks a model (docs/PROVISIONING.md).
"""
