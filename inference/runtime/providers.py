"""Execution-provider choice: CUDA when it really works, CPU otherwise — with the reason.

`onnxruntime.get_available_providers()` lists CUDA on any onnxruntime-gpu install, even with no GPU;
the truth is what a real session ends up using. We probe once with a tiny built-in model.
"""
from __future__ import annotations

import base64
import ctypes
import functools
import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)

CPU = "CPUExecutionProvider"
CUDA = "CUDAExecutionProvider"

# A 69-byte ONNX model: y = Identity(x), x: float[1]. Used only to probe whether CUDA loads.
_PROBE_MODEL = base64.b64decode(
    "CAg6OwoQCgF4EgF5IghJZGVudGl0eRIFcHJvYmVaDwoBeBIKCggIARIECgIIAWIPCgF5EgoKCAgBEgQKAggBQgQKABAN")


@dataclass(frozen=True)
class CudaStatus:
    usable: bool
    reason: str


def import_ort():
    """Import onnxruntime quietly (its CUDA-fallback noise goes to our log, not the user's terminal)."""
    import onnxruntime as ort

    if not hasattr(ort, "__version__"):
        from .errors import ModelError

        raise ModelError("the installed onnxruntime module is broken (no __version__)",
                         "reinstall it: pip install --force-reinstall onnxruntime-gpu")
    if os.environ.get("MMWB_ORT_VERBOSE") != "1":
        ort.set_default_logger_severity(4)
    return ort


def _can_load(lib: str) -> bool:
    try:
        ctypes.CDLL(lib)
        return True
    except OSError:
        return False


def _missing_cuda_libs(cuda_major: str) -> list[str]:
    wanted = [f"libcudart.so.{cuda_major}", f"libcublasLt.so.{cuda_major}", "libcudnn.so.9"]
    return [lib for lib in wanted if not _can_load(lib)]


@functools.lru_cache(maxsize=1)
def cuda_status() -> CudaStatus:
    """Whether the CUDA execution provider really runs here, and if not, why (one line)."""
    if os.environ.get("MMWB_FORCE_CPU") == "1":
        return CudaStatus(False, "CUDA turned off by MMWB_FORCE_CPU=1")
    try:
        ort = import_ort()
    except Exception as e:  # pragma: no cover - broken install
        return CudaStatus(False, f"onnxruntime cannot be imported: {e}")
    if CUDA not in ort.get_available_providers():
        return CudaStatus(False, "this onnxruntime build has no CUDA provider "
                                 "(plain 'onnxruntime' is installed; install 'onnxruntime-gpu' for GPU support)")
    if not _can_load("libcuda.so.1"):
        return CudaStatus(False, "no NVIDIA GPU driver found (libcuda.so.1 cannot be loaded): running on CPU")
    try:  # onnxruntime-gpu >= 1.21 can load CUDA/cuDNN from the nvidia-* pip packages if they are installed
        ort.preload_dlls()
    except Exception:
        pass
    try:
        sess = ort.InferenceSession(_PROBE_MODEL, providers=[CUDA, CPU])
        used = sess.get_providers()
    except Exception as e:
        return CudaStatus(False, f"the CUDA provider failed to start: {str(e).splitlines()[0][:200]}")
    if CUDA in used:
        return CudaStatus(True, "CUDA provider loaded and ran a probe model")
    try:
        from onnxruntime.capi import build_and_package_info as info

        cuda_major = str(getattr(info, "cuda_version", "12")).split(".")[0]
    except Exception:  # pragma: no cover
        cuda_major = "12"
    missing = _missing_cuda_libs(cuda_major)
    if missing:
        return CudaStatus(False, f"a GPU driver is present but CUDA {cuda_major} libraries are missing "
                                 f"({', '.join(missing)}): pip install 'onnxruntime-gpu[cuda,cudnn]'")
    return CudaStatus(False, "the CUDA provider did not load (driver/CUDA version mismatch?): running on CPU")


def choose_providers(preference: str = "auto") -> tuple[list[str], str]:
    """Providers to ask for, and a one-line reason for the choice.

    preference: "auto" (CUDA if usable, else CPU), "cpu", or "cuda" (CUDA if usable, with a warning otherwise).
    """
    pref = (preference or "auto").lower()
    if pref == "cpu":
        return [CPU], "CPU chosen in settings"
    status = cuda_status()
    if status.usable:
        return [CUDA, CPU], status.reason
    if pref == "cuda":
        return [CPU], f"CUDA was asked for but is not usable — {status.reason}"
    return [CPU], status.reason


def short_name(provider: str) -> str:
    return {CPU: "CPU", CUDA: "CUDA", "TensorrtExecutionProvider": "TensorRT"}.get(provider, provider)
