#!/usr/bin/env bash
# GPU check: on a machine with an NVIDIA GPU, prove the CUDA execution provider path and time every
# shipped model on CUDA against CPU. Runs in well under 3 minutes.
#
# It installs what it needs into /tmp/mmwb-site (no venv, no network needed if wheels are given):
#   - onnxruntime-gpu from .whl/onnxruntime_gpu-*.whl, or from parts in $MMWB_WHEEL_PARTS (joined in order),
#     or from the package index when one is reachable;
#   - CUDA 13 / cuDNN 9 come from the nvidia-* pip packages already on the machine (or `onnxruntime-gpu[cuda,cudnn]`).
# Then it runs `mmwb doctor` and bench/time_models.py for CUDA and CPU.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
SITE=/tmp/mmwb-site
mkdir -p "$SITE"
t0=$(date +%s)

wheel=$(ls .whl/onnxruntime_gpu-*.whl 2>/dev/null | head -1)
if [ -z "$wheel" ] && [ -n "${MMWB_WHEEL_PARTS:-}" ]; then
  wheel=/tmp/onnxruntime_gpu-1.31.1-cp312-cp312-manylinux_2_28_x86_64.whl
  cat $(ls "$MMWB_WHEEL_PARTS"/part* | sort) > "$wheel"
fi
if [ -n "$wheel" ]; then
  echo "== installing $(basename "$wheel")"
  $PY -m pip install -q --no-deps --no-index --no-compile --target "$SITE" "$wheel" || exit 3
else
  echo "== installing onnxruntime-gpu from the package index"
  $PY -m pip install -q --no-compile --target "$SITE" onnxruntime-gpu || exit 3
fi
export PYTHONPATH="$SITE:$PWD${PYTHONPATH:+:$PYTHONPATH}"
# nvidia-* pip packages (cuBLAS, cuDNN...) put their libraries here; onnxruntime.preload_dlls() finds them too
for d in $($PY -c "import site,glob;print(' '.join(sorted(set(p.rsplit('/',1)[0] for s in site.getsitepackages() for p in glob.glob(s+'/nvidia/*/lib/*.so*')))))" 2>/dev/null); do
  export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
if [ "${MMWB_BENCH_SYNTHETIC:-0}" = "1" ]; then   # also time a synthetic compute-heavy model
  $PY bench/make_bench_model.py /tmp/mmwb-bench-models && export MMWB_USER_MODELS=/tmp/mmwb-bench-models
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not found"
echo "== mmwb doctor"
$PY -m inference.cli doctor
echo "== timing shipped models (CUDA vs CPU)"
$PY bench/time_models.py --providers cuda cpu --repeats 30
echo "== gpu_check took $(( $(date +%s) - t0 )) s"
