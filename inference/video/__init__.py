"""Temporal video-text retrieval (RTime): synth data, decoding, dual-encoder model, evaluator, library index."""
