"""The home page's tests use the contracts tests' service, requirements and
sub-contracts, and their day (15 February 2019)."""

from tests.contracts.conftest import (  # noqa: F401 (fixtures)
    ccg,
    february_2019,
    h_pylori,
    indemnity,
    other_subcontract,
    pcl,
    signed_subcontract,
    subcontract,
    submission,
)
