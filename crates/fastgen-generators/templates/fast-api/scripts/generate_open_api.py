"""Write the OpenAPI document of the {{ class_name | py_string }} API as JSON.

Usage: python scripts/generate_open_api.py <output path>
"""

import json
import sys
from pathlib import Path

import {{ module }}.main  # noqa: F401  (registers the API's routes)
from {{ module }}.init import app


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} <output path>", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(app.openapi(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
