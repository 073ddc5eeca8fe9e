"""Chart reading panel."""
from .panel import ChartPanel

__all__ = ["ChartPanel"]
