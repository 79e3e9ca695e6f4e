"""Whether Apache's workers, switched to another account, can read the app, the venv and its Python."""
import os
import pwd
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pywarp_main  # noqa: E402
from pywarp_access import blocking_path  # noqa: E402
from pywarp_args import LaunchError  # noqa: E402

OTHER = 12345  # an account owning none of the files


class BlockingPathTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()
        os.chmod(self.root, 0o755)
        self.addCleanup(shutil.rmtree, self.root, True)

    def tree(self, *modes):
        path = self.root
        for i, mode in enumerate(modes):
            path = os.path.join(path, "d%d" % i)
            os.mkdir(path)
            os.chmod(path, mode)
        return path

    def test_readable(self):
        self.assertIsNone(blocking_path(self.tree(0o755, 0o711, 0o755), OTHER, {OTHER}))

    def test_a_closed_directory_on_the_way(self):
        path = self.tree(0o755, 0o700, 0o755)
        self.assertEqual(blocking_path(path, OTHER, {OTHER}), os.path.join(self.root, "d0", "d1"))

    def test_the_directory_itself_must_be_listable(self):
        path = self.tree(0o755, 0o711)
        self.assertEqual(blocking_path(path, OTHER, {OTHER}), path)

    def test_group_bits(self):
        path = self.tree(0o750, 0o750)
        gid = os.stat(path).st_gid
        self.assertIsNone(blocking_path(path, OTHER, {gid}))
        self.assertEqual(blocking_path(path, OTHER, {OTHER}), os.path.join(self.root, "d0"))

    def test_missing(self):
        self.assertEqual(blocking_path(os.path.join(self.root, "gone"), OTHER, {OTHER}), os.path.join(self.root, "gone"))


@unittest.skipUnless(os.geteuid() == 0, "needs root: the account question only arises as root, and chown")
class AccountTest(unittest.TestCase):
    """As root, Apache's workers run as nobody, or as the owner of an app nobody cannot read."""

    def setUp(self):
        self.root = tempfile.mkdtemp()
        os.chmod(self.root, 0o755)
        self.addCleanup(shutil.rmtree, self.root, True)
        self.data = {"app_dir": self.dir("app", 0o755), "venv_dir": self.dir("venv", 0o755)}
        self.nobody = pwd.getpwnam(pywarp_main.UNPRIVILEGED)

    def dir(self, name, mode, owner=0):
        path = os.path.join(self.root, name)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        os.chown(path, owner, -1)
        return path

    def test_nobody_when_it_can_read(self):
        self.assertEqual(pywarp_main.Host().account(self.data)[0], self.nobody.pw_name)

    def test_the_owner_when_nobody_cannot(self):
        owner = next(e for e in pwd.getpwall() if e.pw_uid not in (0, self.nobody.pw_uid))
        self.dir("venv", 0o700, owner.pw_uid)
        self.assertEqual(pywarp_main.Host().account(self.data)[0], owner.pw_name)

    def test_a_clear_error_when_only_root_can(self):
        self.dir("home", 0o700)
        self.data["venv_dir"] = self.dir("home/venv", 0o755)
        with self.assertRaisesRegex(LaunchError, r"^running as root, Apache's workers run as 'nobody', which cannot read %s/home \(needed: %s/home/venv\); run as a non-root user" % (self.root, self.root)):
            pywarp_main.Host().account(self.data)


if __name__ == "__main__":
    unittest.main()
