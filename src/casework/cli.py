"""The ``casework`` command line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from casework.io import CaseFileError, case_file_schema, load_cases


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casework")
def main() -> None:
    """Assess probation cases against National Standards, national targets and
    HMI Probation Offender Management Inspection criteria.

    Start with `casework validate FILE` to see which records of a case file
    are usable; `casework schema` prints the JSON Schema a case file follows.
    """


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    callback=_parse_date,
    help="Date to read records as at, for records that do not give their own as_of (YYYY-MM-DD).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the result.",
)
def validate(file: Path, as_of: dt.date | None, output: str) -> None:
    """Check every record of FILE: each is accepted or rejected with a located reason.

    Exits with status 1 when any record was rejected, 2 when the file cannot
    be read at all.
    """
    try:
        result = load_cases(file, as_of=as_of)
    except (CaseFileError, OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None
    if output == "json":
        payload = {
            "file": file.name,
            "records": result.records,
            "accepted": len(result.cases),
            "rejected": len(result.errors),
            "errors": [
                {
                    "record": error.record,
                    "case_ref": error.case_ref,
                    "problems": [
                        {"field": p.field, "expected": p.expected, "found": p.found}
                        for p in error.problems
                    ],
                }
                for error in result.errors
            ],
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        click.echo(f"{file.name}: {result.summary()}")
        for error in result.errors:
            click.echo(f"  {error}")
    sys.exit(0 if result.ok else 1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a case file."""
    click.echo(json.dumps(case_file_schema(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
