"""wizard: a terminal troubleshooting wizard for Windows-infrastructure admins."""

__version__ = "0.1.0"
