"""Rendering: the generated pages, images and theme files of the public site."""
