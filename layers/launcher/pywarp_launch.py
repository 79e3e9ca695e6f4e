"""pywarp's launcher: runs a process type with no shell.

Usage: python3 -I -S pywarp_launch.py <process type> [args...]   args go to the server or program
       python3 -I -S pywarp_launch.py --check <server>            build-time check: can it start here?

Only the entry: Python compiles the script it runs at every start, but loads a module from its .pyc
(compiled at build, see layers/launcher.ts), so the launcher's code is in pywarp_main.
"""
import os
import sys

# -I keeps this script's own directory off sys.path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pywarp_init import block_signals  # noqa: E402

block_signals()  # first of all: from here on a SIGTERM waits until the server can take it (pywarp_init)

from pywarp_main import cli  # noqa: E402

cli()
