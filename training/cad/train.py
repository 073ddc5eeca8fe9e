"""Train a CAD sequence model from scratch and export it to ONNX with its manifest (``training.cad.export``).

    python -m training.cad.train --model cad-text-plain    # plain tokens (the default text model)
    python -m training.cad.train --model cad-text          # same data and budget, spatial tokens (CAD-GPT's)
    python -m training.cad.train --model cad-image
    python -m training.cad.train --model cad-text --smoke --out /tmp/x   # seconds, for CI

Data come from ``training.cad.data`` (made on the first run when missing, seeded).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

from inference.cad import tokens as T
from training.cad import data as D
from training.cad.export import export, log
from training.cad.model import ARCH, MODELS, Seq2Seq, seq_loss

ROOT = Path(__file__).resolve().parents[2]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=list(MODELS), default="cad-text")
    ap.add_argument("--data", default=str(ROOT / "data" / "cad_train"))
    ap.add_argument("--out", default=str(ROOT / "resources" / "models"))
    ap.add_argument("--steps", type=int, default=12000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--word-dropout", type=float, default=0.1,
                    help="text models: each non-number word becomes <unk> with this probability (unseen wording)")
    ap.add_argument("--max-minutes", type=float, default=0, help="stop early after this long (0: no limit)")
    ap.add_argument("--smoke", action="store_true", help="tiny data and a few steps (CI)")
    ap.add_argument("--export-only", action="store_true",
                    help="re-export the checkpoint DATA/MODEL.pt (keeps its training record from the manifest)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    spec = MODELS[a.model]
    t_start = time.time()
    data_dir = Path(a.data)
    if a.smoke:
        data_dir = Path(a.out) / "smoke_data"
        D.make(data_dir, n_text=40, n_image=12 if spec["kind"] == "image" else 0,
               what="text" if spec["kind"] == "text" else "image", log=log)
        if spec["kind"] == "image":
            D.make(data_dir, n_text=20, n_image=0, what="text", log=log)
        a.steps, a.batch = 6, 8
    need = "text.npz" if spec["kind"] == "text" else "image.npz"
    if not (data_dir / need).exists() or not (data_dir / "words.txt").exists():
        log(f"making training data in {data_dir} …")
        D.make(data_dir, log=log)
    vocab = T.TextVocab.from_text((data_dir / "words.txt").read_text(encoding="utf-8"))
    if spec["kind"] == "text":
        z = np.load(data_dir / "text.npz")
        src = torch.from_numpy(z["words"].astype(np.int64))
    else:
        z = np.load(data_dir / "image.npz")
        src = torch.from_numpy(z["images"])
    tgt = torch.from_numpy(z[spec["scheme"]].astype(np.int64))
    n = len(tgt)
    g = torch.Generator().manual_seed(a.seed)
    perm = torch.randperm(n, generator=g)
    n_val = max(1, min(1000, n // 20))
    val_idx, tr_idx = perm[:n_val], perm[n_val:]
    L = int((tgt != 0).sum(1).max())
    tgt = tgt[:, :L]
    if spec["kind"] == "text":
        W = int((src != 0).sum(1).max())
        src = src[:, :W]

    if a.export_only:
        ck = torch.load(data_dir / f"{a.model}.pt", map_location="cpu")
        model = Seq2Seq(spec["kind"], n_words=len(vocab.itos), image_size=D.IMAGE_SIZE, itos=vocab.itos,
                        **ck["arch"])
        model.load_state_dict(ck["state_dict"])
        old = Path(a.out) / f"{a.model}.json"
        info = json.loads(old.read_text())["metrics"].get("training", {}) if old.exists() else {}
        export(model.eval(), a, spec, vocab, data_dir, info)
        return 0
    dev = torch.device(a.device)
    model = Seq2Seq(spec["kind"], n_words=len(vocab.itos), image_size=D.IMAGE_SIZE, itos=vocab.itos, **ARCH).to(dev)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"{a.model}: {n} samples ({len(tr_idx)} train), {n_params / 1e6:.2f} M parameters, device {dev}")
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    warm = max(1, min(200, a.steps // 10))
    budget_s = a.max_minutes * 60 if a.max_minutes else 0.0

    def set_lr(step: int, elapsed: float) -> None:
        # warm-up, then cosine over the step budget or the time budget, whichever runs out first
        frac = step / a.steps
        if budget_s:
            frac = max(frac, elapsed / budget_s)
        lr = a.lr * min(1.0, (step + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(frac, 1.0)))
        for gr in opt.param_groups:
            gr["lr"] = lr
    src_d, tgt_d = src.to(dev), tgt.to(dev)
    tr_d = tr_idx.to(dev)

    def batch(idx):
        s = src_d[idx]
        if spec["kind"] == "image":
            s = s.float().unsqueeze(1) / 255.0
        t = tgt_d[idx]
        return s, t[:, :-1], t[:, 1:]

    def evaluate():
        model.eval()
        tot, cnt, ok_tok, n_tok = 0.0, 0, 0, 0
        with torch.no_grad():
            for i in range(0, n_val, 256):
                idx = val_idx[i:i + 256].to(dev)
                s, tin, tout = batch(idx)
                mo, ax = model(s, tin)
                tot += float(seq_loss(mo, ax, tout)) * len(idx)
                cnt += len(idx)
                pred = mo.argmax(-1)
                m = (tout > 0) & (tout < T.MAIN)
                ok_tok += int(((pred == tout) & m).sum())
                n_tok += int(m.sum())
        model.train()
        return tot / cnt, ok_tok / max(n_tok, 1)

    step, t0 = 0, time.time()
    model.train()
    stopped_early = False
    while step < a.steps:
        set_lr(step, time.time() - t0)
        idx = tr_d[torch.randint(len(tr_d), (a.batch,), device=dev, generator=None)]
        s, tin, tout = batch(idx)
        # trim the batch to its longest sequence (padding costs as much as tokens)
        lt = int((tout != 0).sum(1).max())
        tin, tout = tin[:, :lt], tout[:, :lt]
        if spec["kind"] == "text":
            s = s[:, : int((s != 0).sum(1).max())]
            if a.word_dropout > 0:  # ids 2..402 are the numbers (TextVocab), never dropped
                drop = (s > 402) & (torch.rand(s.shape, device=s.device) < a.word_dropout)
                s = s.masked_fill(drop, 1)
        loss = model.loss(s, tin, tout)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % 200 == 0 or step == a.steps:
            vl, acc = evaluate()
            log(f"step {step}/{a.steps} loss {float(loss):.4f} val {vl:.4f} main-token acc {acc:.4f} "
                f"{time.time() - t0:.0f} s")
        if budget_s and time.time() - t0 > budget_s:
            stopped_early = True
            log(f"stopping early at step {step} (time limit)")
            break
    train_s = time.time() - t0
    vl, acc = evaluate()
    torch.save({"state_dict": model.state_dict(), "arch": ARCH, "model": a.model, "n_words": len(vocab.itos)},
               data_dir / f"{a.model}.pt")  # checkpoint beside the data, never among the shipped models
    export(model.cpu().eval(), a, spec, vocab, data_dir, {
        "train_steps": step, "batch": a.batch, "train_seconds": round(train_s, 1),
        "total_seconds": round(time.time() - t_start, 1), "val_loss": round(vl, 4),
        "val_main_token_acc": round(acc, 4), "device": str(dev) + (
            f" ({torch.cuda.get_device_name(0)})" if dev.type == "cuda" else f" ({a.threads} threads)"),
        "stopped_early": stopped_early, "parameters": n_params, "torch": torch.__version__})
    return 0


if __name__ == "__main__":
    sys.exit(main())
