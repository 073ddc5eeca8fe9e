#!/bin/bash
# Train the three CAD models side by side on one GPU (how the shipped models were made).
#   bash training/cad/device_train.sh [MINUTES]      # data must exist in data/cad_train
# Writes models.tar (ONNX + manifests + checkpoints) and one log per model to $OUT (or /tmp/cad_out).
set -u
export PYTHONUNBUFFERED=1
OUTDIR=${OUT:-/tmp/cad_out}
MIN=${1:-7}
mkdir -p "$OUTDIR" /tmp/cadm
nvidia-smi -L || true
python3 -c "import torch, onnx, onnxruntime, onnxscript; print('torch', torch.__version__, torch.cuda.is_available())"
for m in cad-text cad-text-plain cad-image; do
  python3 -m training.cad.train --model "$m" --data data/cad_train --out /tmp/cadm --steps 40000 \
    --max-minutes "$MIN" --threads 4 > "$OUTDIR/$m.log" 2>&1 &
done
wait
tar cf "$OUTDIR/models.tar" -C /tmp/cadm .
ls -la /tmp/cadm
for m in cad-text cad-text-plain cad-image; do echo "== $m"; grep -v "torch.onnx\|Warning\|warn" "$OUTDIR/$m.log" | tail -6; done
