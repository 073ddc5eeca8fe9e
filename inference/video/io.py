"""Video files: which files this panel opens (the readers themselves are in decode.py)."""
from __future__ import annotations

from .decode import VIDEO_EXTS

# what this panel opens (inference.panels reads it for drop routing and file dialogs)
FILE_KINDS = {"video": tuple(sorted(VIDEO_EXTS)), "folder": ()}
