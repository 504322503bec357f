"""Rendering: the pages, images, share images, charts, theme values and open data of the site, as plain files for the engine."""
