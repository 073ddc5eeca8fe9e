"""Video retrieval panel."""
from .panel import Panel

__all__ = ["Panel"]
