"""Where the CLI writes: ``out`` for results, ``err`` for progress, notes and errors."""

from __future__ import annotations

from rich.console import Console, ConsoleDimensions

UNWRAPPED = 1_000_000  # columns of a pipe or a file: wide enough that no line is cut or wrapped


class Output(Console):
    """A console as wide as the terminal, or, when it writes to a pipe or a file, as wide as what
    it prints: ``ceasefire incidents list > file`` keeps every character of every cell."""

    @property
    def size(self) -> ConsoleDimensions:
        found = super().size
        return found if self.is_terminal else ConsoleDimensions(UNWRAPPED, found.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self.width, self.height = new_size


out = Output(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)
