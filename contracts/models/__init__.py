"""The contracts app's models, one module per area."""

from contracts.models.held import (
    Contract,
    ContractDocument,
    ContractQuerySet,
    ContractReviewNote,
    ContractStatus,
    DocumentKind,
    contract_months,
)
from contracts.models.organisations import Organisation, OrganisationKind
from contracts.models.returns import (
    ActivityReturn,
    ActivityReturnLine,
    Reminder,
    ReminderFailure,
    ReturnStatus,
)
from contracts.models.subcontracts import (
    Decision,
    EvidenceDecision,
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    HeadContract,
    RequirementState,
    ScheduledClinician,
    Service,
    SubContract,
    SubContractCompliance,
    Tariff,
)

__all__ = [
    "ActivityReturn",
    "ActivityReturnLine",
    "Contract",
    "ContractDocument",
    "ContractQuerySet",
    "ContractReviewNote",
    "ContractStatus",
    "Decision",
    "DocumentKind",
    "EvidenceDecision",
    "EvidenceRequirement",
    "EvidenceStatus",
    "EvidenceSubmission",
    "HeadContract",
    "Organisation",
    "OrganisationKind",
    "Reminder",
    "ReminderFailure",
    "RequirementState",
    "ReturnStatus",
    "ScheduledClinician",
    "Service",
    "SubContract",
    "SubContractCompliance",
    "Tariff",
    "contract_months",
]
