"""Prints the schemathesis.toml of a fuzz run: the {id} of the case operations is one of the real cases (a file of ids,
one a line) with probability 0.8, else generated, so the actions and views are reached and 404 is still tried."""
import json
import sys

with open(sys.argv[1], encoding="utf-8") as lines:
    case_ids = [line.strip() for line in lines if line.strip()]
if not case_ids:
    sys.exit("config.py: no case was filed before the run")
print("[dictionaries.cases]")
print(f"values = {json.dumps(case_ids)}")
print()
print("[[operations]]")
print('include-path-regex = "^/cases/\\\\{id\\\\}"')
print('parameters = { id = { dictionary = "cases", probability = 0.8 } }')
