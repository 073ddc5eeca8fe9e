"""Write a synthetic conv-net ONNX model + manifest (needs the `onnx` package) into a folder, so the GPU
check has a compute-heavy model to time even where no shipped model is installed.

    python bench/make_bench_model.py OUT_DIR
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np


def main(out: str) -> int:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    nodes, inits = [], []
    prev, ch = "image", 3
    for i in range(8):
        w = (rng.standard_normal((64, ch, 3, 3)) * (2 / (ch * 9)) ** 0.5).astype(np.float32)
        inits.append(numpy_helper.from_array(w, f"w{i}"))
        nodes.append(helper.make_node("Conv", [prev, f"w{i}"], [f"c{i}"], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [f"c{i}"], [f"r{i}"]))
        prev, ch = f"r{i}", 64
    nodes.append(helper.make_node("GlobalAveragePool", [prev], ["features"]))
    g = helper.make_graph(nodes, "bench_conv",
                          [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, 224, 224])],
                          [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 64, 1, 1])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.save(m, str(d / "bench-conv.onnx"))
    (d / "bench-conv.json").write_text(json.dumps({
        "name": "bench-conv", "task": "benchmark", "file": "bench-conv.onnx",
        "description": "synthetic 8-layer 64-channel conv net made by bench/make_bench_model.py (timing only)",
        "inputs": [{"name": "image", "shape": ["batch", 3, 224, 224], "dtype": "float32"}],
        "outputs": [{"name": "features", "shape": ["batch", 64, 1, 1], "dtype": "float32"}],
        "example_shapes": {"image": [8, 3, 224, 224]}}, indent=2))
    print(f"wrote {d / 'bench-conv.onnx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/mmwb-bench-models"))
