"""`v2m eval chords|music`: scoring results, by reference chords or by objective music measures."""

from __future__ import annotations

import typer

from v2m_cli.chords_cmd import eval_chords
from v2m_cli.music_cmd import eval_music_command

app = typer.Typer(help="Score results: chords against references, music by objective measures.", no_args_is_help=True)
app.command("chords")(eval_chords)
app.command("music")(eval_music_command)
