"""Allow ``python -m treasury_desktop``."""

from treasury_desktop.app import main

raise SystemExit(main())
