"""Problems found in a tree file, in a form an author can act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """One line: FILE:LINE:COL CODE message (at path) [hint]."""
        where = f" (at {self.path})" if self.path else ""
        hint = f" hint: {self.hint}" if self.hint else ""
        return f"{self.file}:{self.line}:{self.col} {self.code} {self.severity}: {self.message}{where}{hint}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)
