"""The outbox (hộp thư đi): fully signed vouchers delivered exactly once in effect.

For the window:
- ``usecases.queueing.QueueService.queue(ids)`` puts vouchers in; the composition root
  ``delivery.open_delivery(ctx)`` wires a :class:`~treasury_desktop.outbox.sender.Sender` and a
  ``sync.service.StatusSync`` over one client (``start()`` / ``close()``).
- ``Sender.snapshot()`` → ``OutboxItem`` rows (state, attempts, next try, last error as an i18n
  ``Message``, the server's reasons word for word); ``Sender.status()`` → ``OutboxStatus`` for
  the status bar; ``Sender.subscribe(callback)`` → called with an ``OutboxChange`` after every
  commit (on the committing thread: emit a queued Qt signal); ``send_now()``, ``pause()``,
  ``resume()``, ``network_changed(online)``.
"""
