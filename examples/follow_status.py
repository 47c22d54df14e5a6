"""Reads the status of the unit's referrals, as a unit's software does to show its agents what
became of them.

    RELAIS_URL=... RELAIS_CLIENT_ID=... RELAIS_CLIENT_SECRET=... python follow_status.py [ID]

With an id: that referral's status history. Without: every referral of the unit still waiting
(`received` or `contact_attempted`). One JSON object per line.
"""

import json
import os
import sys

from relais_client import Relais


def main():
    relais = Relais(os.environ["RELAIS_URL"], os.environ["RELAIS_CLIENT_ID"], os.environ["RELAIS_CLIENT_SECRET"])
    if len(sys.argv) > 1:
        referral = relais.referral(sys.argv[1])
        print(json.dumps({"id": referral["id"], "status": referral["status"],
                          "history": [change["status"] for change in referral["status_history"]]}))
        return
    for status in ("received", "contact_attempted"):
        for referral in relais.referrals(status=status):
            print(json.dumps({"id": referral["id"], "status": referral["status"],
                              "procedure_reference": referral.get("procedure_reference")}))


if __name__ == "__main__":
    main()
