"""What every panel gets from the main window: settings, the job manager, the recent-files hook."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .jobs import JobManager
from .settings import Settings


@dataclass
class AppContext:
    settings: Settings
    jobs: JobManager
    add_recent: Callable[[str], None] = field(default=lambda path: None)
    show_status: Callable[[str], None] = field(default=lambda text: None)
