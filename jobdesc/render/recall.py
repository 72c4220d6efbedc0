"""What ``check`` read the last time: template output already read into the document model.

``check`` renders every output of the project on every run (the pre-commit hook runs it on
every commit), and most of them are the same text as the run before. Reading Markdown is the
slowest step of rendering, so the documents read are kept in jobdesc's cache on disk
(:mod:`jobdesc.disk.cache`), in a folder of the project's own, found by a digest of the Markdown
text (and of the reader's code and libraries): a changed text is read anew, never served stale.
After a run the entries that run did not use are removed, so the folder holds one run's
documents at most (compressed: a few kilobytes a document), and the folders of projects no
``check`` has read for :data:`UNUSED_DAYS` days (moved, deleted, temporary clones) go too.
"""

from __future__ import annotations

import pickle
import sys
import zlib
from pathlib import Path

from jobdesc.disk import cache
from jobdesc.render.document import Document
from jobdesc.render.markdown import parse

KIND = "documents"
UNUSED_DAYS = cache.UNUSED_DAYS


def _stamp() -> str:
    """What shapes a document read from Markdown besides the text: the reader and its libraries."""
    return cache.key(
        cache.package_stamp("markdown_it"),
        cache.package_stamp("mdit_py_plugins"),
        cache.source_digest("render/markdown", "render/document"),
        sys.implementation.cache_tag or "",
        str(pickle.HIGHEST_PROTOCOL),
    )


class Recall(cache.Shelf):
    """Reads template output as :func:`~jobdesc.render.markdown.parse` does, keeping what it
    reads on disk for the next run on the same project."""

    def __init__(self, root: Path) -> None:
        super().__init__(KIND, root)
        self.stamp = _stamp()

    def read(self, source: str) -> Document:
        """The document of ``source``: kept from an earlier run, or read now (and kept)."""
        if self.folder is None:
            return parse(source)
        name = cache.key(self.stamp, source)
        stored = self.load(name)
        if stored is not None:
            try:
                document = pickle.loads(zlib.decompress(stored))  # noqa: S301 - our own cache
                if isinstance(document, Document):
                    return document
            except Exception:  # noqa: BLE001, S110 - damaged, or of an older jobdesc: read anew
                pass
        document = parse(source)  # a mistake raises, and nothing is kept
        self.store(name, zlib.compress(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL), 1))
        return document
