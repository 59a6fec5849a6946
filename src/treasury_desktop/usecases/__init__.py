"""usecases layer."""
