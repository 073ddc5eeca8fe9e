"""Point-cloud reconstruction panel."""
from .panel import PointCloudPanel

__all__ = ["PointCloudPanel"]
