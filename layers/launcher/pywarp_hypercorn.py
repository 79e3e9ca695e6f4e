"""hypercorn, run by the venv's Python, failing when its workers fail.

Usage: python pywarp_hypercorn.py [hypercorn options] APP

With --workers 2 or more, hypercorn's master waits for its workers and exits 0 whatever became of
them: when the app's lifespan startup fails in every worker, the server is gone with status 0 and
nothing said. Here it exits 1 when a worker failed (exited with a non-zero status, not killed by a
signal); its traceback is already in the log.
"""
import sys

import hypercorn.run
from hypercorn.__main__ import main

import pywarp_messages as say


class WatchedProcess(hypercorn.run.Process):
    """A worker the master started, remembered for its exit status (module level: picklable)."""

    started = []

    def start(self):
        super().start()
        WatchedProcess.started.append(self)


if __name__ == "__main__":
    hypercorn.run.Process = WatchedProcess
    main()
    failed = [p for p in WatchedProcess.started if p.exitcode and p.exitcode > 0]  # not a signal's
    if failed:
        sys.stderr.write("pywarp: %s\n" % say.worker_exited("hypercorn", failed[0].pid, failed[0].exitcode))
        sys.exit(1)
