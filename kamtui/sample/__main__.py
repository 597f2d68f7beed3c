"""``python -m kamtui.sample``: write a generated portfolio, or rebuild the demo from its source.

    python -m kamtui.sample --accounts N --seed S --out FILE [--today YYYY-MM-DD]
    python -m kamtui.sample --demo-source [--out FILE [--lang es]]

Errors are one line on stderr with exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kamtui.sample.demo import DEMO_ANCHOR, repo_demo_path
from kamtui.sample.generator import generate
from kamtui.store.errors import StoreError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 1 (argparse would print usage and exit 2)
        print(f"kamtui.sample: {message}", file=sys.stderr)
        raise SystemExit(1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m kamtui.sample", description="Write a sample kamtui portfolio.")
    parser.add_argument("--accounts", type=int, default=1000, help="number of accounts (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, help="the store file to create (must not exist)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="date the portfolio is relative to (YYYY-MM-DD)")
    parser.add_argument(
        "--demo-source",
        action="store_true",
        help=f"rebuild sample_data/demo.json and demo_es.json (or --out) from demo_source.toml, dated {DEMO_ANCHOR}",
    )
    parser.add_argument("--lang", choices=("en", "es"), default="en", help="the language of --demo-source --out")
    args = parser.parse_args(argv)
    try:
        if args.demo_source:
            from kamtui.sample.demo_build import build_demo

            if args.out is not None:
                if args.out.exists():
                    raise FileExistsError(f"{args.out} already exists; refusing to overwrite it")
                build_demo(args.out, DEMO_ANCHOR, lang=args.lang)
            else:
                for lang in ("en", "es"):  # the same portfolio in English and in Spanish
                    build_demo(repo_demo_path(lang), DEMO_ANCHOR, lang=lang)
            return 0
        if args.out is None:
            parser.error("--out FILE is required")
        if args.accounts < 0:
            parser.error("--accounts must be 0 or more")
        generate(args.out, args.accounts, args.seed, args.today)
    except (OSError, ValueError, StoreError) as exc:
        print(f"kamtui.sample: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
