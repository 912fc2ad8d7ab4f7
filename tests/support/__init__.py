"""Helpers shared by the test suites (the loopback DoH resolver)."""
