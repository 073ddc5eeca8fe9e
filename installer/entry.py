"""Entry point of the packaged app (PyInstaller): the same as the `mmwb` console script."""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from app.launcher import main

    sys.exit(main())
