"""Publishing stages: swap a checked site in; deploy it to a server."""
