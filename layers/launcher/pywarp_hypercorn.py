"""hypercorn, run by the venv's Python, failing when its workers fail and letting them finish on a stop.

Usage: python pywarp_hypercorn.py [hypercorn options] APP

hypercorn's master starts its workers as multiprocessing processes: forked with multiprocessing's
Process before 0.14.2, spawned from get_context("spawn") since (and for --workers 1 too since 0.15).
Both kinds are replaced here by a watched process:
- Exit status. The master exits 0 whatever became of its workers (0.17 returns 0 from main even
  when one failed: hypercorn issue 269): when the app's lifespan startup fails in every worker, the
  server is gone with status 0 and nothing said. Here it exits 1 when a worker failed (exited with a
  non-zero status, not killed by a signal); its traceback is already in the log.
- Graceful stop. Since 0.14.2 the master, once told to stop, waits for any one worker to exit and then
  terminates the others (SIGTERM, which a spawned worker does not handle): their requests in flight
  are cut. Here terminating a worker first gives it --graceful-timeout to finish, as the stop it was
  already told of allows.
"""
import sys
from multiprocessing import Process
from multiprocessing.context import SpawnContext, SpawnProcess

import hypercorn.run
from hypercorn.__main__ import main

import pywarp_messages as say

# Beyond --graceful-timeout: a worker's own way out once its requests are done.
EXIT_SLACK = 2.0


class Watched:
    """A worker the master started, remembered for its exit status."""

    started = []

    def start(self):
        self.graceful_timeout = self._kwargs["config"].graceful_timeout  # start() deletes _kwargs
        super().start()
        Watched.started.append(self)

    def terminate(self):
        if self.is_alive():
            self.join(self.graceful_timeout + EXIT_SLACK)
        super().terminate()


# Module level, so that a spawned worker can unpickle its process object.
class WatchedProcess(Watched, Process):
    pass


class WatchedSpawnProcess(Watched, SpawnProcess):
    pass


class WatchedSpawnContext(SpawnContext):
    Process = WatchedSpawnProcess


def watch_workers(run_module):
    if hasattr(run_module, "Process"):  # before 0.14.2: `from multiprocessing import Process`
        run_module.Process = WatchedProcess
    else:
        get_context = run_module.get_context
        run_module.get_context = lambda method=None: WatchedSpawnContext() if method == "spawn" else get_context(method)


if __name__ == "__main__":
    watch_workers(hypercorn.run)
    status = main()
    failed = [p for p in Watched.started if p.exitcode and p.exitcode > 0]  # not a signal's
    if failed:
        sys.stderr.write("pywarp: %s\n" % say.worker_exited("hypercorn", failed[0].pid, failed[0].exitcode))
        sys.exit(1)
    sys.exit(status if isinstance(status, int) and status > 0 else 0)
