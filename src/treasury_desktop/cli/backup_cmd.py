"""``backup [run | list | restore FILE]``: the database's backups from the command line."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import text
from treasury_desktop.settings import BACKUP_FOLDER
from treasury_desktop.usecases.backups import BackupService


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backup`` and its actions."""
    backup = commands.add_parser("backup", help="back up or restore the database")
    sub = backup.add_subparsers(dest="backup_command", metavar="ACTION")
    run = sub.add_parser("run", help="take a backup now (the default action)")
    run.add_argument("--if-due", action="store_true", help="only if none was taken today")
    lst = sub.add_parser("list", help="list the backups, newest first")
    lst.add_argument("--json", action="store_true")
    restore = sub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("file", metavar="FILE")
    backup.add_argument("--folder", help="backup folder (default: the one in the settings)")
    backup.set_defaults(handler=_run)


def backup_service(ctx: AppContext, folder: str | None = None) -> BackupService:
    """The backup use case for this context: the chosen folder, else ``backups`` beside the data."""

    def where() -> Path:
        if folder:
            return Path(folder)
        _repo, profile = ctx.repositories()
        chosen = BACKUP_FOLDER.read(profile)
        return Path(chosen) if chosen else ctx.data_dir / "backups"

    return BackupService(ctx.database_path, where, datetime.now)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    service = backup_service(ctx, args.folder)
    action = args.backup_command or "run"
    if action == "list":
        found = service.backups()
        if args.json:
            for b in found:
                print(json.dumps({"path": str(b.path), "taken_at": b.taken_at.isoformat(),
                                  "size": b.size}))
        elif not found:
            print(text("backup.none", path=str(service.folder)))
        for b in [] if args.json else found:
            print(f"{b.taken_at:%d/%m/%Y %H:%M:%S}  {b.size / 2**20:8.1f} MB  {b.path}")
        return 0
    if action == "restore":
        ctx.close()  # nothing of this process may hold the file while it is replaced
        aside = service.restore(Path(args.file))
        print(text("backup.restored", backup=args.file, aside=str(aside)))
        return 0
    taken = service.backup_if_due() if getattr(args, "if_due", False) else service.backup_now()
    if taken is not None:
        print(text("backup.taken", path=str(taken.path)))
    return 0
