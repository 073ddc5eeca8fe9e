"""Video retrieval panel."""
from .panel import VideoPanel

__all__ = ["VideoPanel"]
