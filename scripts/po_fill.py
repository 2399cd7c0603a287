"""Fill English translations into locale/en/LC_MESSAGES/django.po from a JSON dict {msgid: msgstr}.

Usage: python scripts/po_fill.py translations.json   (only empty msgstr entries are filled)
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"


def main() -> None:
    mapping = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    text = PO.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        msgid = match.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if msgid in mapping:
            value = mapping[msgid].replace("\\", "\\\\").replace('"', '\\"')
            return f'msgid "{match.group(1)}"\nmsgstr "{value}"\n'
        return match.group(0)

    text = re.sub(r'^msgid "((?:[^"\\]|\\.)+)"\nmsgstr ""\n(?!")', replace, text, flags=re.M)
    text = text.replace("#, fuzzy\n", "", 1) if '"Content-Type' in text else text
    PO.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
