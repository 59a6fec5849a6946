"""The window's paper: print preview (Ctrl+P), printing through Qt's dialog, saving as PDF."""
