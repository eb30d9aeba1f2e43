"""``python -m casework``: the command line."""

from casework.cli import main

if __name__ == "__main__":  # not when a process of ``findings --jobs`` imports it
    main()
