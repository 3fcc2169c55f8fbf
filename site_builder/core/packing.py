"""Values packed: pickled and deflated, as the build's caches store them and its readers hand them on.

One format for the parsed-file cache (build/caches.py), the readers' answers (build/prefetch.py) and the
entries a loaded site holds packed (model/packed.py), so the same bytes go from one to the next unopened.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

# What unpacking can raise for bytes that this code did not pack (a damaged cache, or one another program wrote;
# another version of a library or of Python keys its values apart, build/keys.code_version): made again.
UNREADABLE = (
    pickle.UnpicklingError,
    EOFError,
    AttributeError,
    ImportError,
    TypeError,
    ValueError,
    zlib.error,
)


def packed(value: object) -> bytes:
    """A value as the parsed-file cache stores it and the readers hand it to the build's process: pickled and
    deflated. A fifth of the size, and a tenth of a millisecond to expand; packed once, when it is made, the
    same bytes go from the cache to the readers and on to the load, which keeps its roadmaps so."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes | memoryview) -> Any:
    return pickle.loads(zlib.decompress(data))
