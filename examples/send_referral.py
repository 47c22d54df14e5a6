"""Sends a referral to the coordinators, as a unit's software does at the end of an
intervention, and shows that resending it (a lost answer, a crash) creates nothing twice.

    RELAIS_URL=https://relais.example.fr RELAIS_CLIENT_ID=... RELAIS_CLIENT_SECRET=... \
        python send_referral.py PV-2026-000123

Prints, as JSON, the referral's id and status, and whether the second sending named the same
referral.
"""

import json
import os
import sys

from relais_client import Relais


def referral_from_intervention(procedure_number):
    """The referral, built from your own record of the intervention. Only what the person
    agreed to share; `safe_contact` says how the coordinators may reach them without risk."""
    return {
        "urgency": "urgent",
        "agent_reference": "Brigadier-chef Martin, poste de police municipale",
        "procedure_reference": procedure_number,
        "police_contact": "home_call_out",
        "problem_types": ["domestic_violence"],
        "summary": "Intervention au domicile pour une dispute conjugale ; madame souhaite être rappelée.",
        "judicial_proceedings": "unknown",
        "children_exposed": "no",
        "persons": [{
            "role": "victim",
            "last_name": "Exemple",
            "first_name": "Camille",
            "age": 41,
            "phone": "06 12 34 56 78",
            "safe_contact": {"call": "yes", "text": "no", "write": "no"},
            "best_time": "après 18 h",
            "consent": "given",
            "informed_of_coordination": "yes",
        }],
    }


def main():
    procedure_number = sys.argv[1] if len(sys.argv) > 1 else "PV-2026-000123"
    relais = Relais(os.environ["RELAIS_URL"], os.environ["RELAIS_CLIENT_ID"], os.environ["RELAIS_CLIENT_SECRET"],
                    max_attempts=int(os.environ.get("RELAIS_MAX_ATTEMPTS", "5")))
    referral = referral_from_intervention(procedure_number)
    # The key comes from your record: the same intervention always sends the same key.
    key = f"intervention-{procedure_number}"
    sent = relais.send_referral(referral, key)
    # Your software crashed before saving the answer, or the network dropped it: send again.
    resent = relais.send_referral(referral, key)
    status = relais.referral(sent["id"])
    print(json.dumps({"id": sent["id"], "status": status["status"], "same_referral": resent["id"] == sent["id"]}))


if __name__ == "__main__":
    main()
