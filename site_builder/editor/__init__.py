"""For editors: the guide and references kept in step, record skeletons, the form editor at /admin/ (configured from the schema) and the reviewers' change summary."""
