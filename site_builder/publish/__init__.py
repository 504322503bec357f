"""Publishing a checked site: swap it into place (`swap.py`), or deploy it to a server over SSH (`deploy.py`)."""
