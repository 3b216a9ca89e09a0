"""vev: a virtual event venue for intergovernmental sessions."""
