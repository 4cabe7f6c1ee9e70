"""``python -m creditfix`` runs the CLI."""

from creditfix.cli import main

raise SystemExit(main())
