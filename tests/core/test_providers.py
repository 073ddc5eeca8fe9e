"""Provider choice: CPU fallback with a reason when CUDA is not usable."""
from __future__ import annotations

import pytest

from inference.runtime import providers
from inference.runtime.providers import CPU, CUDA, CudaStatus, choose_providers


@pytest.fixture(autouse=True)
def _clear_cache():
    real = providers.cuda_status
    real.cache_clear()
    yield
    real.cache_clear()


def test_cpu_fallback_when_cuda_not_usable(monkeypatch):
    monkeypatch.setattr(providers, "cuda_status", lambda: CudaStatus(False, "no NVIDIA GPU driver found"))
    assert choose_providers("auto") == ([CPU], "no NVIDIA GPU driver found")
    provs, reason = choose_providers("cuda")
    assert provs == [CPU] and "CUDA was asked for but is not usable" in reason


def test_cuda_first_when_usable(monkeypatch):
    monkeypatch.setattr(providers, "cuda_status", lambda: CudaStatus(True, "probe ran"))
    assert choose_providers("auto")[0] == [CUDA, CPU]
    assert choose_providers("cpu") == ([CPU], "CPU chosen in settings")


def test_real_status_on_this_machine_says_why():
    st = providers.cuda_status()
    assert isinstance(st.usable, bool) and st.reason
    if not st.usable:
        assert choose_providers("auto")[0] == [CPU]


def test_no_driver_reason(monkeypatch):
    monkeypatch.setattr(providers, "_can_load", lambda lib: False)
    st = providers.cuda_status()
    assert not st.usable
    assert "libcuda.so.1" in st.reason or "no CUDA provider" in st.reason


def test_force_cpu_env(monkeypatch):
    monkeypatch.setenv("MMWB_FORCE_CPU", "1")
    assert providers.cuda_status() == CudaStatus(False, "CUDA turned off by MMWB_FORCE_CPU=1")


def test_settings_file_and_env(monkeypatch):
    from inference.runtime.settings import RuntimeSettings

    RuntimeSettings(provider="cpu", threads=3).save()
    s = RuntimeSettings.load()
    assert (s.provider, s.threads) == ("cpu", 3)
    monkeypatch.setenv("MMWB_PROVIDER", "bogus")
    assert RuntimeSettings.load().provider == "auto"
