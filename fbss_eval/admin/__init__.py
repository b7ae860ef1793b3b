"""Admin: users and the audit trail."""
