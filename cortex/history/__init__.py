"""Installation history: every state-changing command is a transaction in a SQLite store.

    from cortex.history import open_store
    store = open_store()                      # paths.data_dir()/history.db
    store.check_writable()                    # before anything is installed
    with store.transaction(kind="install", request=..., plan=..., backend=..., model=...) as tx:
        tx.step(argv, returncode, output)

The store records the package state (from the manager: `PackageManager.package_state()`) before and after each transaction and keeps the exact
diff, from which `cortex rollback` computes the inverse plan (see docs/HISTORY.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cortex.history.store import HistoryStore, Transaction, TransactionRecord, open_store

__all__ = ["HistoryStore", "Transaction", "TransactionRecord", "open_store"]


def __getattr__(name: str) -> Any:
    """The store's names, imported on first use: the pure submodules (debversion, diff, system)
    must not pull in sqlite3 and the store for a caller that only compares versions."""
    if name in __all__:
        from cortex.history import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
