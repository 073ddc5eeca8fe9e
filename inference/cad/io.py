"""CAD files: which files this panel opens."""
from __future__ import annotations

from inference.runtime.media import IMAGE_SUFFIXES

# what this panel opens (inference.panels reads it for drop routing and file dialogs); "image" is a picture
# of a part to generate from
FILE_KINDS = {"cad-json": (".json",), "cad-vec": (".vec", ".npy"), "image": IMAGE_SUFFIXES}
