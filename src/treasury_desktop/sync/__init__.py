"""Status sync (đồng bộ trạng thái): the changes feed, timelines, balances and catalogues.

``StatusSync.pull()`` / ``start()`` / ``request()``; ``StatusSync.on_final(callback)`` for
notifications; ``store.timeline.timeline(conn, id)``; ``balances.BalanceBook`` (``over_estimate``);
``catalogs.CatalogBook``.
"""
