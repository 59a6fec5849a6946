"""Signing in the window: the certificate chooser, the PIN dialog and the flow that runs them.

The Qt side only: every token call goes to the token thread (signing/executor.py), every
database call to the worker lane, and results come back to the GUI thread by signals.
"""
