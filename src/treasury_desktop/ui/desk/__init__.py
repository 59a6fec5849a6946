"""The desk's own dialogs: setup assistant, settings, backups, the handbook and About."""
