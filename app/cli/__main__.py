"""`python -m app.cli`: the `onrust` command without the installed script."""

import sys

from app.cli import main

sys.exit(main())
