"""The one declaration of every record and of the settings: validation, JSON Schema, field reference."""
