"""The Excel bridge in the window: the import dialog and the export of the list as shown."""
