"""The PCN maturity matrix of seed 003: what each level of each row means,
and a network's assessments side by side, so progress shows over time."""

from dataclasses import dataclass

from pcn.models import MATURITY_DOMAINS, MaturityAssessment, MaturityLevel

# Seed 003's matrix, row by row: foundations for transformation, steps 1 to 3
# ("" where the matrix leaves a cell empty).
MATRIX = {
    "right_scale": (
        "Plan: there is a plan in place articulating a clear end state vision and steps to getting there, "
        "including actions required at team, network and system level.",
        "Practices identify partners for network-level working and develop a shared plan for realisation.",
        "Practices have a defined future business model and early components in place. Functioning "
        "interoperability between practices, including read/write access to records. Data sharing "
        "agreements in place.",
        "Network business model fully operational. Interoperable systems. Workforce shared across the "
        "network. Rationalisation of estates.",
    ),
    "integrated_working": (
        "Engagement: GPs, local primary care leaders and other stakeholders believe in the vision and the "
        "plan to get there.",
        "Integrated teams, which may not yet include social care, are working in parts of the system.",
        "Integrated teams in place throughout the system and formalised to include social care, the "
        "voluntary sector and easy access to secondary care expertise in at least some sites.",
        "Fully functioning integrated teams in place across the whole system. Care plans and coordination "
        "in place for all high risk patients.",
    ),
    "targeting_care": (
        "Time: primary care, in particular general practice, has the headroom to make change.",
        "Analysis of variation between practices is readily available and acted upon. Basic population "
        "segmentation is in place. Prototypes in place for the highest risk groups.",
        "The system can track data in real time. New models of care in place for most population segments, "
        "with standardised protocols in use across the system.",
        "Systematic population segmentation including risk stratification. Routine peer review of metrics "
        "in and between networks. New models of care meet the needs of all population segments.",
    ),
    "managing_resources": (
        "Transformation resource: there are people available with the right skills to make change happen.",
        "Steps taken to ensure operational efficiency of primary care delivery.",
        "Networks have sight of resource use for their patients, and can pilot new incentive schemes.",
        "Primary care networks take collective responsibility for available funding. Data used at "
        "individual clinical level to make best use of resources.",
    ),
    "empowered_primary_care": (
        "",
        "Primary care has a seat at the table for all system-level decision making.",
        "",
        "The primary care network is a full decision making member of the ICS leadership.",
    ),
}
LEVEL_LABELS = dict(MaturityLevel.choices)


@dataclass
class ProgressCell:
    level: int
    label: str
    change: int  # against the assessment before (0 for the first)


@dataclass
class ProgressRow:
    heading: str
    cells: list[ProgressCell]
    description: str  # what the latest level means


def progress(assessments: list[MaturityAssessment]) -> list[ProgressRow]:
    """One row per row of the matrix, one cell per assessment, oldest first."""
    rows = []
    for name, heading in MATURITY_DOMAINS:
        cells, before = [], None
        for assessment in assessments:
            level = getattr(assessment, name)
            cells.append(ProgressCell(level, LEVEL_LABELS[level], 0 if before is None else level - before))
            before = level
        rows.append(ProgressRow(heading, cells, MATRIX[name][before] if before is not None else ""))
    return rows
