"""Visits: the guided workup, section by section, with its summary."""
