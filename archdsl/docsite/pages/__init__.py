"""The pages of the site as Markdown: pure functions from the model and its analyses, a module
per kind of page.

Every string that comes from a spec goes through `markup.inline` (one line of Markdown),
`markup.prose` (a Markdown field shown inline), `markup.block` (a Markdown field, rendered
safely), `markup.literal` (shown as code) or `markup.title` (page and nav titles).
"""

from .common import (
    COMPONENT_LINK,
    DEPTH,
    NAV_COMPONENTS,
    SystemFacts,
    component_address,
    front_matter,
    place_links,
)
from .components import component_page, components_index
from .diagrams import inline_diagram
from .flows import flow_page, flows_index
from .policy import policy_page
from .records import (
    decision_page,
    migration_page,
    rule_page,
    rules_index,
    stakeholder_page,
    timeline_page,
)
from .system import component_table, index_page, system_page

__all__ = ["COMPONENT_LINK", "DEPTH", "NAV_COMPONENTS", "SystemFacts", "component_address", "component_page",
           "component_table", "components_index", "decision_page", "flow_page", "flows_index", "front_matter", "index_page", "inline_diagram",
           "migration_page", "place_links", "policy_page", "rule_page", "rules_index", "stakeholder_page", "system_page",
           "timeline_page"]
