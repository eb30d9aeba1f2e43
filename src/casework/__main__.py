"""``python -m casework``: the command line."""

from casework.cli import main

main()
