"""Start the scale-out set-up on loopback for a demo: PostgreSQL, two dashboard replicas, nginx in front.

    .venv/bin/python scripts/scale_up.py [--folder DIR] [--no-oidc]

Prints the URLs (open the nginx one in a browser), then keeps everything running until Ctrl-C, which stops
all processes. The same cluster as tests/test_scale.py (tests/cluster.py, nginx from deploy/nginx.conf).
With OIDC (default) a local identity provider runs too: "Anmelden (SSO)" → user "ana" is an analyst.
"""
from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cluster import ROUTE_COOKIE, running_cluster  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, help="where logs and state go (default: a new temp folder)")
    parser.add_argument("--no-oidc", action="store_true", help="no identity provider (local accounts only)")
    arguments = parser.parse_args(argv)
    folder = arguments.folder or Path(tempfile.mkdtemp(prefix="dashboard-cluster-"))
    # Ctrl-C and `kill` both end the `with` block, so every process is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("Starte PostgreSQL, zwei Replikate und nginx … / starting PostgreSQL, two replicas and nginx …",
          flush=True)
    started = time.monotonic()
    try:
        with running_cluster(folder, oidc=not arguments.no_oidc) as cluster:
            print(f"bereit nach {time.monotonic() - started:.0f} s / ready after {time.monotonic() - started:.0f} s")
            print(cluster.describe())
            for replica in cluster.replicas:
                print(f"route cookie for replica {replica.name}: {ROUTE_COOKIE}={cluster.route_to(replica.index)}")
            cli = f"DATABASE_URL={cluster.database_url} {sys.executable} -m store"
            print(f"analyst account for the command line and the local login: {cli} users add NAME")
            print(f"publish from the command line: {cli} import FILE --dataset … --note … --author NAME")
            print("Strg-C beendet alles. / Ctrl-C stops everything.", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        print("\nbeendet / stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
