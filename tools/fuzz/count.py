"""Counts what a Schemathesis run sent and got, from its NDJSON report (one line per user), and adds the lines up.

  count.py <report-dir> <user>   prints: <user> requests=N server_errors=N failed_checks=N statuses=<code>:<n>,...
  count.py --total <counts-file> prints the sum of those lines
"""
import collections
import glob
import json
import sys


def count(report_dir: str, user: str) -> None:
    requests = server_errors = failed_checks = 0
    statuses: collections.Counter = collections.Counter()
    for path in glob.glob(f"{report_dir}/*.ndjson"):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                event = json.loads(line).get("ScenarioFinished")
                if not event:
                    continue
                recorder = event["recorder"]
                for interaction in recorder.get("interactions", {}).values():
                    response = interaction.get("response")
                    requests += 1
                    if response is None:
                        statuses["no-response"] += 1
                        continue
                    statuses[str(response["status_code"])] += 1
                    if response["status_code"] >= 500:
                        server_errors += 1
                for checks in recorder.get("checks", {}).values():
                    failed_checks += sum(1 for c in checks if c.get("status") == "failure")
    by_status = ",".join(f"{k}:{v}" for k, v in sorted(statuses.items()))
    print(f"{user} requests={requests} server_errors={server_errors} failed_checks={failed_checks} statuses={by_status}")


def total(counts_file: str) -> None:
    sums: collections.Counter = collections.Counter()
    statuses: collections.Counter = collections.Counter()
    with open(counts_file, encoding="utf-8") as lines:
        for line in lines:
            _user, *fields = line.split()
            for field in fields:
                key, value = field.split("=", 1)
                if key == "statuses":
                    for pair in filter(None, value.split(",")):
                        code, n = pair.rsplit(":", 1)
                        statuses[code] += int(n)
                else:
                    sums[key] += int(value)
    by_status = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    print(f"fuzz total: {sums['requests']} requests, {sums['server_errors']} server errors, {sums['failed_checks']} failed checks; statuses {by_status}")


if __name__ == "__main__":
    if sys.argv[1] == "--total":
        total(sys.argv[2])
    else:
        count(sys.argv[1], sys.argv[2])
