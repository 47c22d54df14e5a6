"""Validates a data·inclusion document with the models of the `data-inclusion-schema`
package (PyPI), which Relais did not write. Reads {"structures": [...], "services": [...]} on
stdin; prints {"structures": n, "services": n, "errors": [...]}."""
import json
import sys

import pydantic
from data_inclusion.schema import v1

document = json.load(sys.stdin)
errors = []
ids = set()
for structure in document.get("structures", []):
    try:
        v1.Structure.model_validate(structure)
    except pydantic.ValidationError as error:
        errors.append({"structure": structure.get("id"), "error": str(error)})
    ids.add(structure.get("id"))
for service in document.get("services", []):
    try:
        v1.Service.model_validate(service)
    except pydantic.ValidationError as error:
        errors.append({"service": service.get("id"), "error": str(error)})
    if service.get("structure_id") not in ids:
        errors.append({"service": service.get("id"), "error": "no such structure"})
print(json.dumps({"structures": len(document.get("structures", [])), "services": len(document.get("services", [])), "errors": errors}))
