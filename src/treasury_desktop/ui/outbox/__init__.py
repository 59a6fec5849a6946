"""The outbox in the window: view, status-bar indicator, timelines, notifications, warnings."""
