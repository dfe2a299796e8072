"""`python -m datasets build [--out DIR]`: build every dataset from data/raw/, validate, summarise."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import datasets
from datasets.catalogue import entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m datasets", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build and validate every dataset from data/raw/")
    build.add_argument("--raw", type=Path, default=datasets.RAW_DIR, help="folder with the raw files")
    build.add_argument("--out", type=Path, help="write each dataset as <name>.parquet into this folder")
    args = parser.parse_args(argv)

    frames = datasets.build_all(args.raw)
    for name, frame in frames.items():
        e = entry(name, datasets.spec(name).meta, frame)
        period = f"{e.period_from}–{e.period_to}" if e.period_from else "–"
        print(f"{name:20} {len(frame):7d} rows  period {period:11}  {len(e.source_ids):3d} sources")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            frame.to_parquet(args.out / f"{name}.parquet", index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
