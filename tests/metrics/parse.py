"""Parses a Prometheus scrape (stdin) with the reference client library's parser, and prints
its samples as JSON: the families with their type, and each sample's name, labels and value.
Exits non-zero when the text does not parse."""

import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = []
for family in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": family.name,
        "type": family.type,
        "help": family.documentation,
        "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
    })
json.dump(families, sys.stdout)
