"""One measured morph-kgc run, for benchmarks/build.py; runs in morph-kgc's own
virtualenv (morph-kgc 2.10 pins pyoxigraph<0.4, rdflib<7.3, pandas<3).

    .bench-venv/bin/python benchmarks/morph/materialize.py CONFIG oxigraph|rdflib|bare

Prints one JSON line: seconds and CPU seconds (materialization, after the imports), triples, and the
peak memory of this process or its largest worker.
"""

from __future__ import annotations

import json
import logging
import sys
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import peak_mb  # noqa: E402
from _conditions import stopwatch  # noqa: E402


def main() -> int:
    config, target = sys.argv[1], sys.argv[2]
    import morph_kgc

    logging.getLogger("morph_kgc").setLevel(logging.WARNING)
    with stopwatch() as clock:  # CPU time with morph-kgc's worker processes, once they are waited for
        if target == "bare":
            triples = 0
        elif target == "oxigraph":
            triples = len(morph_kgc.materialize_oxigraph(config))
        elif target == "rdflib":
            # An rdflib Graph whose store holds the quads in their named graphs.
            triples = len(morph_kgc.materialize(config).store)
        else:
            raise SystemExit(f"unknown target {target!r}; expected oxigraph, rdflib or bare")
    figures = {"seconds": 0.0, "cpu_s": 0.0} if target == "bare" else clock
    print(json.dumps({**figures, "triples": triples, "version": version("morph-kgc"), "peak_mb": peak_mb()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
