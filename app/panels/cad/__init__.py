from .panel import Panel

__all__ = ["Panel"]
