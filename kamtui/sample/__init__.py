"""Sample portfolios: a deterministic generator of any size, and the hand-curated demo.

* :mod:`kamtui.sample.generator`: :func:`generate` writes N generated accounts (tests, benchmarks).
* :mod:`kamtui.sample.demo`: :func:`materialize_demo` copies the demo, dated today (``kamtui --demo``).
* :mod:`kamtui.sample.demo_build`: rebuilds ``sample_data/demo.json`` from ``demo_source.toml``.
* :mod:`kamtui.sample.bulk` writes a whole portfolio at once; :mod:`kamtui.sample.words` is the
  vocabulary the generator draws from; ``python -m kamtui.sample`` is the command line.
"""

from kamtui.sample.demo import materialize_demo
from kamtui.sample.generator import generate

__all__ = ["generate", "materialize_demo"]
