"""Spreadsheets in and out: reading .xlsx/.csv as a stream, column mapping, cell values, export."""
