"""`v2m eval chords|music|model`: scoring results, by reference chords, by objective music measures, or a
trained model's checkpoints on a dataset split."""

from __future__ import annotations

import typer

from v2m_cli.chords_cmd import eval_chords
from v2m_cli.learn_cmd import evaluate_command
from v2m_cli.music_cmd import eval_music_command

app = typer.Typer(help="Score results: chords against references, music by objective measures, checkpoints on a "
                       "dataset split.", no_args_is_help=True)
app.command("chords")(eval_chords)
app.command("music")(eval_music_command)
app.command("model")(evaluate_command)
