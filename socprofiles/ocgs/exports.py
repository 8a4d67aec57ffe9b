"""A group's network out of the platform for i2 Analyst's Notebook or Gephi: GraphML and
a CSV link table; and the nominal prioritisation and an operation's summary as CSV. Only
the owning agency's own references and scores go out, never a name or anything another
agency holds; CSV cells are made safe against formula injection."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from django.utils import timezone

from socprofiles.core.csvsafe import csv_text

from .selectors import Network, Node, Priority

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# Characters XML 1.0 cannot carry at all (even escaped): dropped from every value.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

NODE_KEYS = [
    ("n_label", "label", "string"), ("n_reference", "reference", "string"),
    ("n_kind", "kind", "string"), ("n_role", "role", "string"),
    ("n_member", "member", "boolean"), ("n_score", "tactical_score", "double"),
]  # fmt: skip
EDGE_KEYS = [("e_kind", "kind", "string"), ("e_label", "label", "string"),
             ("e_note", "note", "string")]  # fmt: skip


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _stamp() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


def network_graphml(network: Network, *, marking: str, exported_by: str) -> bytes:
    """GraphML (undirected): nodes with reference, kind, role, membership and tactical
    score; edges with the kind of link and its note. Values are escaped by the XML writer."""
    ET.register_namespace("", GRAPHML_NS)
    q = f"{{{GRAPHML_NS}}}"
    root = ET.Element(f"{q}graphml")
    for ident, name, kind in NODE_KEYS:
        ET.SubElement(root, f"{q}key", {"id": ident, "for": "node", "attr.name": name,
                                        "attr.type": kind})  # fmt: skip
    for ident, name, kind in EDGE_KEYS:
        ET.SubElement(root, f"{q}key", {"id": ident, "for": "edge", "attr.name": name,
                                        "attr.type": kind})  # fmt: skip
    graph = ET.SubElement(root, f"{q}graph", {"id": "G", "edgedefault": "undirected"})
    group = network.group
    ET.SubElement(graph, f"{q}desc").text = _text(
        f"{marking}. Organised crime group {group.reference}: members and associations. "
        f"Exported by {exported_by} at {_stamp()}."
    )
    ids: dict[str, str] = {}
    for number, node in enumerate(network.nodes, 1):
        ids[node.id] = f"n{number}"
        element = ET.SubElement(graph, f"{q}node", {"id": ids[node.id]})
        values = {
            "n_label": node.reference, "n_reference": node.reference, "n_kind": node.kind,
            "n_role": node.role_label, "n_member": "true" if node.member else "false",
            "n_score": "" if node.tactical_score is None else f"{node.tactical_score:g}",
        }  # fmt: skip
        for key, value in values.items():
            if value != "":
                ET.SubElement(element, f"{q}data", {"key": key}).text = _text(value)
    for number, edge in enumerate(network.edges, 1):
        element = ET.SubElement(
            graph, f"{q}edge",
            {"id": f"e{number}", "source": ids[edge.source], "target": ids[edge.target]},
        )  # fmt: skip
        for key, value in (("e_kind", edge.kind), ("e_label", edge.kind_label),
                           ("e_note", edge.note)):  # fmt: skip
            if value:
                ET.SubElement(element, f"{q}data", {"key": key}).text = _text(value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


NETWORK_COLUMNS = [
    "Source", "Source kind", "Source role", "Source tactical score",
    "Target", "Target kind", "Target role", "Target tactical score", "Link", "Note",
]  # fmt: skip


def _end(node: Node) -> list[Any]:
    score = "" if node.tactical_score is None else f"{node.tactical_score:g}"
    return [node.reference, node.kind, node.role_label, score]


def network_csv(network: Network, *, marking: str, exported_by: str) -> str:
    """A link table (one row per association, both ends' attributes; a member with no
    link on a row of its own), after one line with the marking: skip it when importing."""
    by_id = {n.id: n for n in network.nodes}
    rows: list[list[Any]] = []
    linked: set[str] = set()
    for edge in network.edges:
        rows.append([*_end(by_id[edge.source]), *_end(by_id[edge.target]), edge.kind_label,
                     edge.note])  # fmt: skip
        linked.update((edge.source, edge.target))
    for node in network.nodes:
        if node.id not in linked:
            rows.append([*_end(node), "", "", "", "", "", ""])
    group = network.group
    return csv_text(
        NETWORK_COLUMNS, rows,
        preamble=[[marking, f"OCG {group.reference}: members and associations",
                   f"Exported by {exported_by} at {_stamp()}"]],
    )  # fmt: skip


PRIORITY_COLUMNS = ["Rank", "Reference", "Highest tactical score", "Groups", "Roles",
                    "Principal", "Agencies holding (count)"]  # fmt: skip


def priorities_csv(rows: list[Priority], *, marking: str, exported_by: str) -> str:
    body = [
        [p.rank, p.nominal.reference,
         "" if p.tactical_score is None else f"{p.tactical_score:g}",
         "; ".join(g.reference for g, _r in p.groups), "; ".join(r for _g, r in p.groups),
         "yes" if p.principal else "no", p.agencies]
        for p in rows
    ]  # fmt: skip
    return csv_text(
        PRIORITY_COLUMNS, body,
        preamble=[[marking, "Nominal prioritisation", f"Exported by {exported_by} at {_stamp()}"]],
    )  # fmt: skip


def summary_csv(operation: Any, summary: dict[str, Any], *, marking: str,
                exported_by: str) -> str:  # fmt: skip
    header = ["Agency", *[label for _m, label in summary["measures"]]]
    rows: list[list[Any]] = [[r["organisation"].name, *r["values"]] for r in summary["rows"]]
    rows.append(["Total", *summary["totals"]])
    return csv_text(
        header, rows,
        preamble=[[marking, f"{operation.name}: results by agency",
                   f"Exported by {exported_by} at {_stamp()}"]],
    )  # fmt: skip
