"""Installation history: every state-changing command is a transaction in a SQLite store.

    from cortex.history import open_store
    store = open_store()                      # paths.data_dir()/history.db
    store.check_writable()                    # before anything is installed
    with store.transaction(kind="install", request=..., plan=..., backend=..., model=...) as tx:
        tx.step(argv, returncode, output)

The store records the dpkg package state before and after each transaction and keeps the exact
diff, from which `cortex rollback` computes the inverse plan (see docs/HISTORY.md).
"""

from __future__ import annotations

from cortex.history.store import HistoryStore, Transaction, TransactionRecord, open_store

__all__ = ["HistoryStore", "Transaction", "TransactionRecord", "open_store"]
