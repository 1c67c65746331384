"""One module per area: held (contracts held for practices), subcontracts
(services, sub-contracts, evidence, compliance), returns (activity returns,
payment schedules). What every form shares is ``fedportal.forms``'s."""
