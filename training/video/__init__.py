"""Training of the video-text dual encoders (torch): model, train, refine_text, export."""
