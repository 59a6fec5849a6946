"""The packaged app's entry point (PyInstaller): the same ``main`` as the ``treasury-desktop`` script."""

import sys

from treasury_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
