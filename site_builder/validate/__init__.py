"""Validation: the rules beyond the schema (images, personal data, the story, rounds, uniqueness)."""
