"""The sync callers' event loop (cortex.llm.loop): generators left open are closed at exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.cli_helpers import ROOT

# A sync call that leaves an async generator suspended in a reference cycle (as an SDK's stream reader
# can be): the cycle is collected after the last call, when the loop no longer runs.
PROGRAM = textwrap.dedent(
    """
    import gc
    from cortex.llm import loop

    async def reader():
        try:
            yield 1
            yield 2
        finally:
            print("closed", flush=True)

    async def first():
        gen = reader()
        holder = {"gen": gen}
        holder["self"] = holder  # a cycle: only the cyclic collector frees it
        return await gen.__anext__()

    gc.disable()
    print(loop.run_sync(first()), flush=True)
    gc.enable()
    gc.collect()  # the generator's close is now scheduled on a loop that will not run again
    """
)


def test_a_generator_collected_after_the_last_sync_call_is_closed_at_exit():
    proc = subprocess.run(
        [sys.executable, "-X", "dev", "-c", PROGRAM], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "closed"], (proc.stdout, proc.stderr)
    assert "Task was destroyed" not in proc.stderr and "never awaited" not in proc.stderr, proc.stderr


# A call whose task swallows its cancellation (an SDK that retries on it, say): Ctrl-C still ends it.
STUBBORN = textwrap.dedent(
    """
    import asyncio, os, signal, threading
    from cortex.llm import loop

    async def stubborn():
        while True:
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                continue

    threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    try:
        loop.run_sync(stubborn())
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    """
)


def test_ctrl_c_ends_a_sync_call_whose_task_ignores_its_cancellation():
    # without the bounded wait the program never ends (the subprocess timeout would fire)
    proc = subprocess.run([sys.executable, "-c", STUBBORN], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stdout.split() == ["interrupted"], (proc.stdout, proc.stderr)
