"""Business rules of the decisions app: plain functions, one transaction each."""
