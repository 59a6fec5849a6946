"""outbox layer."""
