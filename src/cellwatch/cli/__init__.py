"""The command-line shell: parse, call one core function, render."""
