"""Where the build writes: build/ by default, or the folder named by GUIDE_BUILD_DIR (the preview server
uses its own, so `make serve` and `make test` can run side by side in one checkout)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["ROOT", "BUILD", "SHARED_CACHE", "write_if_changed"]

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("GUIDE_BUILD_DIR") or ROOT / "build").resolve()
# Downloads at pinned versions are the same for every build folder: one cache, written atomically.
SHARED_CACHE = ROOT / "build" / "wheel-cache"


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write `data` to `path` only when it differs, atomically (a reader sees the old or the new file,
    never half of one). Returns whether the file changed. An unchanged file keeps its time stamp, so
    a watcher sees nothing."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(raw)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
