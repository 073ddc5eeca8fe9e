"""Tiny ONNX models the registry tests build themselves."""
from __future__ import annotations

import json
from pathlib import Path

onnx = __import__("pytest").importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402


def scale_model(path: Path, in_name: str = "x", dim: int = 4) -> Path:
    """y = 2 * x, x: float[batch, dim]."""
    x = helper.make_tensor_value_info(in_name, TensorProto.FLOAT, ["batch", dim])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", dim])
    two = helper.make_tensor("two", TensorProto.FLOAT, [1], [2.0])
    g = helper.make_graph([helper.make_node("Mul", [in_name, "two"], ["y"])], "scale", [x], [y], [two])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, str(path))
    return path


def slow_model(path: Path, n: int = 1024, loops: int = 4000) -> Path:
    """A model that takes a while: repeated matmuls inside a Loop (for cancellation tests)."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [n, n])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [n, n])
    body_in = [helper.make_tensor_value_info("i", TensorProto.INT64, []),
               helper.make_tensor_value_info("c", TensorProto.BOOL, []),
               helper.make_tensor_value_info("acc", TensorProto.FLOAT, [n, n])]
    body_out = [helper.make_tensor_value_info("c_out", TensorProto.BOOL, []),
                helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [n, n])]
    body = helper.make_graph([
        helper.make_node("Identity", ["c"], ["c_out"]),
        helper.make_node("MatMul", ["acc", "x"], ["mm"]),
        helper.make_node("Tanh", ["mm"], ["acc_out"]),
    ], "body", body_in, body_out)
    trip = helper.make_tensor("trip", TensorProto.INT64, [], [loops])
    cond = helper.make_tensor("cond", TensorProto.BOOL, [], [True])
    g = helper.make_graph([helper.make_node("Loop", ["trip", "cond", "x"], ["y"], body=body)],
                          "slow", [x], [y], [trip, cond])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, str(path))
    return path


def manifest(path: Path, name: str, file: str, in_name: str = "x", dim: int = 4, **extra) -> Path:
    data = {"name": name, "task": "test-task", "file": file,
            "inputs": [{"name": in_name, "shape": ["batch", dim], "dtype": "float32"}],
            "outputs": [{"name": "y", "shape": ["batch", dim], "dtype": "float32"}],
            "metrics": {"note": "test model"}, "trained_by": "tests", **extra}
    path.write_text(json.dumps(data))
    return path
