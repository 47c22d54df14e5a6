"""Subscribes the unit's software to the status changes of its referrals.

    RELAIS_URL=... RELAIS_CLIENT_ID=... RELAIS_CLIENT_SECRET=... python subscribe.py https://pm.example.fr/relais

Prints the subscription's id and its secret as JSON: keep the secret where your webhook
receiver reads it (RELAIS_WEBHOOK_SECRET); Relais shows it this once only.
"""

import json
import os
import sys

from relais_client import Relais


def main():
    relais = Relais(os.environ["RELAIS_URL"], os.environ["RELAIS_CLIENT_ID"], os.environ["RELAIS_CLIENT_SECRET"])
    created = relais.subscribe(sys.argv[1])
    print(json.dumps({"id": created["subscription"]["id"], "secret": created["secret"]}))


if __name__ == "__main__":
    main()
