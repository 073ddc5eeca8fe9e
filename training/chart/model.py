"""A tiny CNN chart-type classifier (about 0.1 M parameters)."""
from __future__ import annotations

import torch
from torch import nn

from inference.chart.model import CLASSES


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True), nn.Conv2d(cout, cout, 3, padding=1, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class ChartTypeNet(nn.Module):
    def __init__(self, n_classes: int = len(CLASSES)):
        super().__init__()
        self.features = nn.Sequential(_block(3, 16), _block(16, 32), _block(32, 48), _block(48, 64))
        self.head = nn.Linear(64 * 2, n_classes)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        f = self.features(image)
        pooled = torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=1)
        return self.head(pooled)
