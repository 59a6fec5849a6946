"""Child process for test_demo: open the demo, sign a complete draft with the demo tokens."""

from __future__ import annotations

import json
import os

from treasury_desktop.delivery import open_delivery
from treasury_desktop.demo.session import open_demo
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.settings import DEMO_SIGNERS
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.timestamp import unstamped_count
from treasury_desktop.store.records import Folder, VoucherQuery
from treasury_desktop.store.signatures import SignatureStore
from treasury_desktop.usecases.signing import SigningRequest, SigningService
from treasury_desktop.usecases.tokens import ModuleSet, module_paths
from treasury_desktop.usecases.trust import open_desk_trust

with open_demo() as ctx:
    folder = ctx.data_dir
    conn = ctx.connect()
    repo, profile = ctx.repositories(conn)
    counts = {f.value: n for f, n in repo.folder_counts().items()}
    signers = DEMO_SIGNERS.read(profile)
    [ready, *_] = repo.page(VoucherQuery(folder=Folder.TO_SIGN), 0, 50)
    chief = next(s for s in signers if s["role"] == "chief-accountant")
    trust = open_desk_trust(ctx.data_dir, profile)  # the demo CA is trusted, the TSA set
    with TokenExecutor() as executor:
        modules = executor.call(ModuleSet, module_paths(profile))
        service = SigningService(conn, executor, modules, ctx.actor, trust=trust.checker,
                                 timestamper=trust.timestamper)
        candidates = [r.id for r in repo.page(VoucherQuery(folder=Folder.TO_SIGN), 0, 50)
                      if r.status.value == "draft"]
        plan = service.prepare(SigningRequest((candidates[0],), SignerRole.CHIEF_ACCOUNTANT,
                                              token=chief["label"]))
        result = service.execute(plan, chief["pin"])
        stamped_cms = SignatureStore(conn).latest_cms(candidates[0])
        stamped = stamped_cms is not None and unstamped_count(stamped_cms) == 0
        labels = sorted(t.info().label for t in executor.call(modules.tokens))
        fully_signed = [r.id for r in repo.page(VoucherQuery(), 0, 500)
                        if r.status.value not in ("draft", "signed_chief")]
        verified = sum(len(service.verify_fully_signed(i)) == 2 for i in fully_signed)
        executor.call(modules.close)
    trust.close()
    queued = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    delivery = open_delivery(ctx)
    try:
        summary = delivery.sender.run(until_empty=True)
    finally:
        delivery.port.close()
    states = [r.status.value for r in repo.page(VoucherQuery(), 0, 500)]
    print(json.dumps({"counts": counts, "queued": queued, "sent": states.count("sent"),
                      "left_queued": states.count("queued"), "signers": signers, "labels": labels,
                      "signed": list(result.signed), "folder": str(folder),
                      "fully_signed": len(fully_signed), "verified": verified,
                      "trust": plan.status.state.value if plan.status else None,
                      "stamped": stamped}))
print(json.dumps({"exists_after": os.path.exists(folder)}))
