"""``python -m creditfix`` and the ``creditfix`` program: the CLI in a process of its own."""

import gc
from typing import NoReturn


def start() -> NoReturn:
    """Import the CLI and run it (:func:`creditfix.cli.run`)."""
    # Importing the CLI (Typer, Click: ~17,000 objects that live until exit) would trigger ~30
    # collections that traverse them and free next to nothing (~1 ms); main() then freezes them.
    gc.disable()
    from creditfix import cli

    gc.enable()
    cli.run()


if __name__ == "__main__":
    start()
