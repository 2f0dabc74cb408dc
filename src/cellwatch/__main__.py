"""``python -m cellwatch`` runs the command line."""

from cellwatch.cli.app import main

main()
