"""Facilitator room mode and browser play."""
