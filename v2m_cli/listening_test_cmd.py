"""`v2m listening-test`: a blind listening test of systems on videos, and the aggregate of its answers.

    v2m listening-test VIDEOS... --systems rules "amt:run/best.pt" "rules,style=ambient" -o test/
    v2m listening-test results test/ answers/*.json --plot results.png

The first is `v2m listening-test make`, named or not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from typer._click.core import Context as ClickContext  # typer's own click: what TyperGroup is typed against
from typer.core import TyperCommand, TyperGroup

from v2m_cli.output import OutputFormat, emit
from v2m_cli.state import state

if TYPE_CHECKING:
    from v2m_core.listening_test.systems import System

# v2m_core.listening_test (compose, scipy.stats, matplotlib) is imported inside the commands, so `v2m --help`
# starts fast.


class _MakeByDefault(TyperGroup):
    """A first word that names no subcommand (a video) runs `make`: `v2m listening-test a.mp4 ...`."""

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["make", *args]
        return super().parse_args(ctx, args)


class _GreedySystems(TyperCommand):
    """`--systems A B C` takes every word up to the next option, as one writes a list of systems; the videos go
    before it, or after `--`."""

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        expanded, greedy = [], False
        for arg in args:
            if arg in ("--systems", "-S"):
                greedy = True
            elif greedy and not arg.startswith("-"):
                expanded += ["--systems", arg]
            else:
                greedy = False
                expanded.append(arg)
        return super().parse_args(ctx, expanded)


app = typer.Typer(cls=_MakeByDefault, no_args_is_help=True,
                  help="Blind listening tests: make the page (VIDEOS... --systems ... -o DIR), then aggregate answers.")


@app.command("make", cls=_GreedySystems, no_args_is_help=True)
def make_command(
    ctx: typer.Context,
    videos: Annotated[list[Path], typer.Argument(
        metavar="VIDEO", help="The videos to compose for (each is composed by every system).")],
    systems: Annotated[list[str], typer.Option(
        "--systems", "-S", metavar="SYSTEM...",
        help="PLANNER[:MODEL][,KEY=VALUE...]: rules, amt:run/best.pt, rules,style=ambient (any compose key or "
             "dotted config key). Takes every word up to the next option.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for index.html, key.json and clips/.")],
    mode: Annotated[Literal["ratings", "ab"], typer.Option(
        help="ratings: each clip rated 1-5 on five questions; ab: for each video, every pair of systems, which fits "
             "better.")] = "ratings",
    seed: Annotated[int, typer.Option(
        min=0, help="Draws the clips' names and, with each listener's name, their order.")] = 0,
    embed_mb: Annotated[float, typer.Option(
        "--embed-mb", min=0, help="Clips embedded in the page, at most (MB); the rest are linked from clips/.")] = 25.0,
) -> None:
    """Compose every video with every system; write a blind listening-test page.

    Each listener gets their own order and downloads their answers as JSON; key.json says which clip is which.

    Example: v2m listening-test a.mp4 b.mp4 --systems rules "rules,style=ambient" -o test/
    """
    from v2m_core.listening_test.build import make_listening_test
    from v2m_core.listening_test.schema import KEY
    from v2m_core.listening_test.systems import parse_system

    cli = state(ctx)
    parsed = [parse_system(spec, cli.config_path) for spec in systems]
    console = cli.console

    def progress(done: int, total: int, video: Path, system: System) -> None:
        console.print(f"composing {done + 1}/{total}: {video.name} with {system.spec}", highlight=False)

    made = make_listening_test(videos, parsed, output, mode=mode, seed=seed, plugins=cli.plugins, progress=progress,
                               embed_limit=int(embed_mb * 1024 * 1024))
    holds = f"it links {len(made.linked)} clips: send clips/ with it" if made.linked else "it holds the clips"
    console.print(f"wrote {made.page}: the page for the listeners ({holds})", highlight=False)
    console.print(f"wrote {output / KEY}: which clip is which (keep it, do not send it)", highlight=False)
    console.print(f"wrote {len(made.key.clips)} clips in {output / 'clips'}", highlight=False)
    console.print(f"then: v2m listening-test results {output} ANSWERS.json...", highlight=False)


@app.command("results")
def results_command(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="The test's folder (with key.json).")],
    answers: Annotated[list[Path], typer.Argument(metavar="ANSWERS.json",
                                                  help="Answers files the listeners' pages downloaded.")],
    plot: Annotated[Path | None, typer.Option(
        help="Also draw the means and their 95% intervals into this PNG.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
) -> None:
    """Aggregate listeners' answers per system: means, 95% intervals, paired tests.

    Means with t-based 95% intervals; Wilcoxon signed-rank on paired overall ratings, or a sign test for A/B.

    Example: v2m listening-test results test/ answers/*.json --plot results.png
    """
    from v2m_core.listening_test.results import load_answers, plot_results, summarise
    from v2m_core.output_paths import check_output_file

    if plot is not None:
        check_output_file(plot, [folder, *answers], (".png",), "plot")
    results = summarise(*load_answers(folder, answers))
    if plot is not None:
        plot_results(results, plot)
    if fmt is OutputFormat.json:
        print(results.model_dump_json(indent=2))
        return
    title = f"{len(results.listeners)} listeners, test {results.test_id}"
    emit([{"system": s.system, "axis": s.axis, "n": s.n, "mean": f"{s.mean:.2f}",
           "95% CI": "" if s.ci_low is None else f"{s.ci_low:.2f} - {s.ci_high:.2f}"} for s in results.scores],
         ("system", "axis", "n", "mean", "95% CI"), fmt, title=f"scores: {title}")
    emit([{"pair": f"{p.first} | {p.second}", "n": p.n, "better": f"{p.first_better}:{p.second_better}", "ties": p.ties,
           "test": p.test, "p": "n/a" if p.p_value is None else f"{p.p_value:.3g}"} for p in results.pairs],
         ("pair", "n", "better", "ties", "test", "p"), fmt, title="paired tests (better: first:second)")
    if plot is not None:
        typer.echo(f"wrote {plot}", err=True)
