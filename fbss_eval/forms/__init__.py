"""Forms: the base form, and the builder that turns checklist sections into WTForms classes."""
