"""The Jobs dock: one row per running job with its progress bar and a Cancel button."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from ..jobs import Job, JobManager


class JobRow(QWidget):
    def __init__(self, job: Job, parent: QWidget | None = None):
        super().__init__(parent)
        self.job = job
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.label = QLabel(job.title)
        self.label.setMinimumWidth(140)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.bar.setFormat("waiting…")
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setToolTip("Stop this job at its next step")
        self.cancel_btn.clicked.connect(self._cancel)
        lay.addWidget(self.label, 2)
        lay.addWidget(self.bar, 3)
        lay.addWidget(self.cancel_btn)
        job.signals.started.connect(lambda: self.bar.setFormat("%p%"))
        job.signals.progress.connect(self._progress)

    def _progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        self.bar.setFormat(f"%p% {message}" if message else "%p%")

    def _cancel(self) -> None:
        self.job.cancel()
        self.cancel_btn.setEnabled(False)
        self.bar.setFormat("cancelling…")


class JobsWidget(QWidget):
    def __init__(self, manager: JobManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.manager = manager
        self.rows: dict[int, JobRow] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel("No jobs running.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty)
        inner = QWidget()
        self.list_layout = QVBoxLayout(inner)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        manager.job_added.connect(self._add)
        manager.job_removed.connect(self._remove)

    def _add(self, job: Job) -> None:
        row = JobRow(job)
        self.rows[job.id] = row
        self.list_layout.insertWidget(self.list_layout.count() - 1, row)
        self.empty.setVisible(False)

    def _remove(self, job: Job) -> None:
        row = self.rows.pop(job.id, None)
        if row is not None:
            row.setParent(None)
            row.deleteLater()
        self.empty.setVisible(not self.rows)
