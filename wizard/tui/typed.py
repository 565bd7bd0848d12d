"""For the type checker: on the wizard's own screens `self.app` is the WizardApp, with its walk and its files."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


class OnWizardApp:
    """Put first among a screen's bases; at run time it adds nothing.

    Textual types `app` as App[object], and App is invariant in its return type, so mypy calls the narrower
    property incompatible; each screen that uses this mixin says `# type: ignore[misc]` for that one reason.
    """

    if TYPE_CHECKING:

        @property
        def app(self) -> WizardApp: ...
