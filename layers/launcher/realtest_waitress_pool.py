"""pywarp_waitress' task threads with a real waitress: waitress' own 4 at start, the rest of --threads
once the first request is answered, or at once when more requests come together than 4 threads take.

Needs a venv with waitress: PYWARP_TEST_VENV=<venv> python3 -m unittest discover -s layers/launcher -p 'realtest_*.py'
"""
import os
import shutil
import tempfile
import threading
import time
import unittest

from realtest_waitress_log import Waitress
from realtest_support import venv_python

HERE = os.path.dirname(os.path.abspath(__file__))

# /together answers only once 8 requests are in the app at the same time: 8 threads serve them at once.
APP = """
import threading

together = threading.Barrier(8, timeout=20)

def application(environ, start_response):
    if environ["PATH_INFO"] == "/together":
        try:
            together.wait()
            status = "200 OK"
        except threading.BrokenBarrierError:
            status = "503 Service Unavailable"
    else:
        status = "200 OK"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""


class PoolTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="pywarp-waitress-pool-")
        self.addCleanup(shutil.rmtree, self.root, True)
        with open(os.path.join(self.root, "app.py"), "w") as f:
            f.write(APP)

    def start(self, threads):
        server = Waitress(self.root, [venv_python(), os.path.join(HERE, "pywarp_waitress.py")], (), threads)
        self.addCleanup(server.stop)
        return server

    def threads_of(self, server):
        return len(os.listdir("/proc/%d/task" % server.proc.pid))

    def wait_for_threads(self, server, count):
        deadline = time.monotonic() + 10
        while self.threads_of(server) != count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.threads_of(server)

    def test_four_threads_until_the_first_answer_then_all(self):
        server = self.start(threads=8)
        self.assertEqual(self.wait_for_threads(server, 1 + 4), 1 + 4)  # it listens before they start
        self.assertEqual(server.request("GET", "/")[:2], (200, "ok"))
        self.assertEqual(self.wait_for_threads(server, 1 + 8), 1 + 8)

    def test_requests_beyond_the_first_threads_are_served_together(self):
        server = self.start(threads=8)
        answers = []
        clients = [threading.Thread(target=lambda: answers.append(server.request("GET", "/together")[0])) for _ in range(8)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(30)
        self.assertEqual(answers, [200] * 8)

    def test_up_to_four_threads_all_start_at_once(self):
        server = self.start(threads=2)
        self.assertEqual(self.wait_for_threads(server, 1 + 2), 1 + 2)


if __name__ == "__main__":
    unittest.main()
