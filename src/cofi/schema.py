"""JSON Schemas of the record kinds, for editors (yaml-language-server) and other validators.

Draft-07, which the yaml-language-server supports fully. The schemas describe
what a file may hold; cofi's own checks remain the authority (references,
dates that exist, the SIRET's check digit).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from cofi import kinds
from cofi.model import Reversal, Settings

# The settings file, each kind of record (cofi.kinds), and a reversal: (model, title).
_SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "settings": (Settings, "cofi ledger settings (ledger/settings.yaml)"),
    **{k.name: (k.model, k.title) for k in kinds.KINDS},
    "reversal": (Reversal, "cofi reversal: cancels an entry of its folder's kind (reverses: <id>)"),
}
KINDS: tuple[str, ...] = tuple(_SCHEMAS)


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft-07) of one record kind."""
    model, title = _SCHEMAS[kind]
    body = model.model_json_schema(ref_template="#/definitions/{model}")
    definitions = body.pop("$defs", None)
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **body,
        "title": title,
    }
    if definitions:
        out["definitions"] = definitions
    _numeric_defaults(out)
    return out


def _numeric_defaults(node: Any) -> None:
    """pydantic writes Decimal defaults as strings ("0.01"); an editor inserting one would
    write a quoted number that cofi refuses. Make them JSON numbers."""
    if isinstance(node, dict):
        default = node.get("default")
        if isinstance(default, str) and _is_number_schema(node):
            node["default"] = json.loads(default)
        for value in node.values():
            _numeric_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _numeric_defaults(value)


def _is_number_schema(node: dict[str, Any]) -> bool:
    kinds = [node.get("type"), *(a.get("type") for a in node.get("anyOf", []))]
    return "number" in kinds or "integer" in kinds


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"


def comment(kind: str, depth: int) -> str:
    """The first line that points an editor at the schema, for a file `depth`
    folders below the ledger root (schemas/ lies at the root)."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.json\n"
