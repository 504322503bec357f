"""Tools for editors: the guide and references kept in step, record skeletons."""
