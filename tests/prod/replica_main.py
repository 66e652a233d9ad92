"""Entry point of one bot replica in the multi-process tests: webhook mode plus a probe job.

    python -m tests.prod.replica_main URL

Exactly `ownervoice run --webhook URL`, with one extra cron job,
`replica_probe`, that fires every minute on every replica and writes an audit row each time
it really runs: the test counts them to show each slot ran once across replicas.
"""

from __future__ import annotations

import os
import sys

from bot.jobs import JOBS
from bot.scheduler import Job, JobHost
from surveys.core import clock, locks
from surveys.models import AuditLog


async def probe(app: JobHost) -> int:
    """Record that this replica ran the probe now."""
    async with app.db() as session, session.begin():
        session.add(
            AuditLog(
                actor_role="system",
                action="probe.run",
                subject_kind="job",
                detail={"pid": os.getpid(), "slot": locks.slot_of(clock.now()).isoformat()},
            )
        )
    return 1


JOBS["replica_probe"] = Job("replica_probe", probe, cron="* * * * *")

if __name__ == "__main__":
    from bot.cli import main

    sys.exit(main(["run", "--webhook", *sys.argv[1:]]))
