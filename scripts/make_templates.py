"""Write the import templates into resources/templates/ (run after changing sheets/templates.py).

    .venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

from treasury_desktop.sheets.templates import TEMPLATES, templates_dir, write_template

if __name__ == "__main__":
    folder = templates_dir()
    folder.mkdir(exist_ok=True)
    for template in TEMPLATES:
        print(write_template(template, folder))
