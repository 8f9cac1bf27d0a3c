#!/usr/bin/env python3
"""Build the council documents of this project: ``python build.py --help``."""

import sys
from pathlib import Path

from councildoc.cli import main

if __name__ == "__main__":
    sys.exit(main(project_root=Path(__file__).resolve().parent))
