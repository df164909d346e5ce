"""Prints the schemathesis.toml of a fuzz run: the {id} of the case operations is one of the real cases (a file of ids,
one a line) with probability 0.8, else generated, so the actions and views are reached and 404 is still tried. The
cursor of the paged views is half of the time a mutated cursor: base64url JSON the service could have written, with a
part it never writes (year 0, a case id of dashes, NUL, a lone surrogate, another shape), so the decoding is fuzzed
past the base64 layer a generated string rarely gets through."""
import base64
import json
import sys


def cursor(parts):
    return base64.urlsafe_b64encode(json.dumps(parts).encode("utf-8", "surrogatepass")).decode().rstrip("=")


UUID = "00000000-0000-4000-8000-000000000000"
CURSORS = [
    cursor(["2026-01-01T00:00:00.000Z", UUID, "decision"]),
    cursor(["2026-01-01T00:00:00.000Z", "x"]),
    cursor(["0000-01-01T00:00:00.000Z", UUID, "decision"]),
    cursor(["0000-01-01T00:00:00.000Z", "x"]),
    cursor(["+275760-09-13T00:00:00.000Z", UUID, "decision"]),
    cursor(["2026-02-30T00:00:00.000Z", "x"]),
    cursor(["2026-01-01T00:00:00.000Z", "-" * 36, "decision"]),
    cursor(["2026-01-01T00:00:00.000Z", UUID, "a\u0000b"]),
    cursor(["2026-01-01T00:00:00.000Z", "\u0000"]),
    cursor(["2026-01-01T00:00:00.000Z", "\ud800"]),
    cursor(["2026-01-01T00:00:00.000Z", UUID, "k" * 5000]),
    cursor(["2026-01-01T00:00:00.000Z"]),
    cursor(["2026-01-01T00:00:00.000Z", 1, {"key": []}]),
    cursor(42),
    cursor(None),
    cursor({"dueAt": "2026-01-01T00:00:00.000Z"}),
]

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
print()
print("[dictionaries.cursors]")
print(f"values = {json.dumps(CURSORS)}")
print()
print("[[operations]]")
print('include-path-regex = "^/(supervision/overdue|me/inbox)$"')
print('parameters = { cursor = { dictionary = "cursors", probability = 0.5 } }')
