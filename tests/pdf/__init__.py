"""Tests of the visit PDF: content, safety, access, commands."""
