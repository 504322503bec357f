"""The editors' side: the record skeleton, the guide, and the form editor at /admin/ with its change summary."""
