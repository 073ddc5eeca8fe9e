"""Point-cloud reconstruction panel."""
from .panel import Panel

__all__ = ["Panel"]
