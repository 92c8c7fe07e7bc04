"""The files a page carries inline: vis-network (vendored in ``static/vis-network``,
with its licence), our own script and style, and a check that a page asks for nothing
outside itself.

Every page inlines vis-network's script and style rather than linking a CDN, so it
opens offline from ``file://`` and from a local server alike.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

__all__ = ["VIS_VERSION", "vis_network", "page_asset", "remote_urls"]

VIS_VERSION = "9.1.2"
# A URL a browser would fetch on its own: in src, href, srcset, action, poster or a CSS url().
_REMOTE = re.compile(r"""(?:\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])"""
                     r"""\s*((?:https?:)?//[^"'\s)>]+)""", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def vis_network() -> tuple[str, str]:
    """The vis-network script and style g60kg ships, as text.

    >>> script, style = vis_network()
    >>> "DataSet" in script and ".vis-network" in style and f"@version {VIS_VERSION}" in script
    True
    """
    folder = resources.files("g60kg.viz") / "static" / "vis-network"
    return ((folder / "vis-network.min.js").read_text(encoding="utf-8"),
            (folder / "vis-network.min.css").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def page_asset(name: str) -> str:
    """One of g60kg's own page files (``page.js``, ``page.css``, ``page.html``).

    >>> "g60ready" in page_asset("page.js")
    True
    """
    return (resources.files("g60kg.viz") / "static" / name).read_text(encoding="utf-8")


def remote_urls(html: str) -> list[str]:
    """Every URL outside the page that a browser would load by itself (scripts, styles,
    images, frames, CSS imports): an offline page has none. Links in text are not loads.

    >>> remote_urls('<script src="https://cdn.example/x.js"></script><p>see https://example.org</p>')
    ['https://cdn.example/x.js']
    >>> remote_urls('<link href="//cdn.example/b.css" rel="stylesheet"><img src="data:image/png;base64,AA">')
    ['//cdn.example/b.css']
    """
    return _REMOTE.findall(html)
