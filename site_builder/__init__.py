"""Labor-brand showcase builder: validates brand records and generates the public site."""

__version__ = "0.1.0"
