"""One base for the errors the wizard reports to its operator, and the exit code each kind maps to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_QUESTION = 3


class WizardError(Exception):
    """An error whose message is meant for the operator; the command line prints it and exits with `exit_code`."""

    exit_code = EXIT_USAGE
