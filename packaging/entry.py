"""The packaged app's entry point (PyInstaller): the same ``main`` as the ``treasury-desktop`` script.

A frozen app has no Python to run ``python -m MODULE``, yet the demo starts helper processes
that way (``sys.executable -m treasury_desktop...``). Here ``sys.executable`` is this program,
so ``-m`` is honoured for the app's own modules only.
"""

import runpy
import sys

from treasury_desktop.app import main

if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "-m" and sys.argv[2].startswith("treasury_desktop."):
        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        sys.exit(0)
    sys.exit(main())
