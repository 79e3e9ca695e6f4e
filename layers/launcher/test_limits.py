"""Worker counts from fake cgroup v1 and v2 trees."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pywarp_limits import MIB, Limits, read_limits, worker_counts  # noqa: E402

V1_NO_LIMIT = str(9223372036854771712)


class FakeTree:
    def __init__(self):
        self.root = tempfile.mkdtemp()
        self.proc = os.path.join(self.root, "proc-self-cgroup")

    def file(self, relative, text):
        path = os.path.join(self.root, "sys", relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text + "\n")
        return self

    def cgroup(self, text):
        with open(self.proc, "w") as f:
            f.write(text)
        return self

    def limits(self):
        return read_limits(os.path.join(self.root, "sys"), self.proc)


def v2(cpu_max, memory_max, path="/"):
    return (
        FakeTree().cgroup("0::%s\n" % path).file("cgroup.controllers", "cpu memory")
        .file("cpu.max", cpu_max).file("memory.max", memory_max)
    )


def v1(quota, period, memory, lines="4:memory:/\n3:cpu,cpuacct:/\n"):
    return (
        FakeTree().cgroup(lines)
        .file("cpu,cpuacct/cpu.cfs_quota_us", quota).file("cpu,cpuacct/cpu.cfs_period_us", period)
        .file("memory/memory.limit_in_bytes", memory)
    )


class ReadLimitsTest(unittest.TestCase):
    def assertLimits(self, tree, cpus, memory_mib):
        limits = tree.limits()
        memory = None if limits.memory is None else limits.memory // MIB
        self.assertEqual((limits.cpus, memory), (cpus, memory_mib))

    def test_v2_limit(self):
        self.assertLimits(v2("150000 100000", str(512 * MIB)), 1.5, 512)

    def test_v2_no_limit(self):
        self.assertLimits(v2("max 100000", "max"), None, None)

    def test_v2_fractional_quota(self):
        self.assertLimits(v2("25000 100000", "max"), 0.25, None)

    def test_v2_parent_limit_binds_a_nested_cgroup(self):
        tree = v2("100000 100000", str(2048 * MIB), "/kubepods/pod1/ctr")
        tree.file("kubepods/pod1/cpu.max", "50000 100000").file("kubepods/pod1/ctr/cpu.max", "max 100000")
        tree.file("kubepods/pod1/ctr/memory.max", str(256 * MIB))
        self.assertLimits(tree, 0.5, 256)

    def test_v1_limit(self):
        self.assertLimits(v1("200000", "100000", str(256 * MIB)), 2.0, 256)

    def test_v1_no_limit(self):
        self.assertLimits(v1("-1", "100000", V1_NO_LIMIT), None, None)

    def test_v1_container_sees_its_cgroup_at_the_mount_root(self):
        tree = v1("50000", "100000", str(128 * MIB), lines="4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n")
        self.assertLimits(tree, 0.5, 128)

    def test_v1_cpu_mounted_alone(self):
        tree = FakeTree().cgroup("2:cpu:/\n").file("cpu/cpu.cfs_quota_us", "300000").file("cpu/cpu.cfs_period_us", "100000")
        self.assertLimits(tree, 3.0, None)

    def test_no_cgroups_at_all(self):
        self.assertLimits(FakeTree(), None, None)


class WorkerCountsTest(unittest.TestCase):
    def test_formula(self):
        cases = [
            # cpus, memory MiB, host cpus → processes
            (None, None, 2, 4),  # no limit: the host's CPUs
            (None, None, 64, 12),  # capped
            (1.5, None, 64, 3),  # the quota, not the host
            (0.5, None, 8, 1),
            (0.25, None, 8, 1),  # at least one
            (4.0, 256, 8, 3),  # (256 - 32) // 64
            (4.0, 100, 8, 1),  # tiny memory
            (4.0, 48, 8, 1),  # below the reserve: still one
            (8.0, 8192, 8, 12),
        ]
        for cpus, memory, host, processes in cases:
            with self.subTest(cpus=cpus, memory=memory, host=host):
                limits = Limits(cpus, None if memory is None else memory * MIB)
                self.assertEqual(worker_counts(limits, host), (processes, 8))

    def test_event_loops_one_per_cpu(self):
        cases = [
            # cpus, memory MiB, host cpus → processes
            (None, None, 2, 2),  # no limit: one per host CPU
            (None, None, 64, 12),  # capped
            (1.5, None, 64, 2),  # a fractional quota's remainder gets a loop
            (0.25, None, 8, 1),
            (4.0, 160, 8, 2),  # (160 - 32) // 64
        ]
        for cpus, memory, host, processes in cases:
            with self.subTest(cpus=cpus, memory=memory, host=host):
                limits = Limits(cpus, None if memory is None else memory * MIB)
                self.assertEqual(worker_counts(limits, host, event_loops=True), (processes, 1))

    def test_web_concurrency_wins(self):
        self.assertEqual(worker_counts(Limits(0.5, 64 * MIB), 1, web_concurrency=6), (6, 8))
        self.assertEqual(worker_counts(Limits(0.5, 64 * MIB), 1, web_concurrency=6, event_loops=True), (6, 1))

    def test_from_a_tree(self):
        self.assertEqual(worker_counts(v2("100000 100000", str(512 * MIB)).limits(), 32), (2, 8))


if __name__ == "__main__":
    unittest.main()
