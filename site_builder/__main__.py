"""`python -m site_builder` runs the command line."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a helper process (verify) imports this module
    sys.exit(main())
