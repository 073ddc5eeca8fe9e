from .panel import CadPanel

__all__ = ["CadPanel"]
