"""Evaluating selection rounds: exact scoring, ranks and tiers, phases by the build date, honours."""
