"""Publishing: putting a built and checked site where readers get it."""
