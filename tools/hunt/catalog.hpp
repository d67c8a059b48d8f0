// catalog.hpp — the detection catalog (schemas/detection_catalog.json, format in
// docs/catalog.md): loaded once, validated field by field, every query parsed by udm::parse so
// nothing invalid is ever sent to a SIEM.
#pragma once

#include <vector>

#include "mcp/result.hpp"
#include "tools/hunt/model.hpp"

namespace hunt {

// kCatalogError is the mcp::Error code of every catalog problem.
inline constexpr int kCatalogError = -32603;

// load_catalog parses the embedded schemas/detection_catalog.json; an Error means lmhunt cannot
// hunt (the message names the detection id and field).
mcp::Result<std::vector<CatalogEntry>> load_catalog();

// parse_catalog validates a catalog document: version 1; each detection has a unique snake_case
// id, a title, a family from all_families(), role "detection" or "context", ATT&CK technique ids
// (primary first), weight 0..100, and a query that udm::parse accepts and that names
// metadata.event_type or metadata.product_event_type. The first problem is returned, naming the
// detection id, the field and (for queries) the parse error.
mcp::Result<std::vector<CatalogEntry>> parse_catalog(const Json& catalog);

// catalog_to_json renders entries back in the catalog format (for the lmhunt://catalog resource).
Json catalog_to_json(const std::vector<CatalogEntry>& entries);

}  // namespace hunt
