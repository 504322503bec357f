"""Loading: each record file read strictly and checked against its schema."""
