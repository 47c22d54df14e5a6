"""Prints the load benchmark's JSON lines (tests/bench.sh) as Markdown tables."""

import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
memory = {r["backend"]: r for r in rows if "idle_rss_kib" in r}
loads = [r for r in rows if "api" in r]

for backend in dict.fromkeys(r["backend"] for r in loads):
    print(f"\n### {'SQLite' if backend == 'sqlite' else 'PostgreSQL'}\n")
    print("| endpoint | clients | req/s | p50 ms | p95 ms | p99 ms | errors | floor req/s | floor p99 ms | API / floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in (r for r in loads if r["backend"] == backend):
        a, f = r["api"], r["floor"]
        ratio = a["rps"] / f["rps"] if f["rps"] else 0
        errors = a["errors"] + f["errors"]
        print(
            f"| {r['endpoint']} | {r['clients']} | {a['rps']:,.0f} | {a['p50_ms']:.1f} | {a['p95_ms']:.1f} | {a['p99_ms']:.1f} "
            f"| {a['errors']}{' (floor ' + str(f['errors']) + ')' if f['errors'] else ''} | {f['rps']:,.0f} | {f['p99_ms']:.1f} | {ratio:.0%} |"
        )
    if backend in memory:
        m = memory[backend]
        print(f"\nServer RSS: {m['idle_rss_kib'] / 1024:.1f} MiB idle, {m['peak_rss_kib'] / 1024:.1f} MiB peak.")
