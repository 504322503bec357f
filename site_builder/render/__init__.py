"""Rendering: the pages, images, charts and open data of the site, as plain files for the engine."""
