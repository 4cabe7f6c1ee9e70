"""``python -m creditfix`` runs the CLI."""

from creditfix.cli import run

run()
