"""autossl-check."""
