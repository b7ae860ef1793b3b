"""Patients: search, create, view, edit."""
