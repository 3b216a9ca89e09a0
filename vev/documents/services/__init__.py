"""Business rules of the documents app, one module per concept (see docs/procedures.md)."""
