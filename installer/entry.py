"""Entry point of the packaged app (PyInstaller): the same as the `mmwb` console script."""
import sys

from app.launcher import main

if __name__ == "__main__":
    sys.exit(main())
