"""One module per area: held (contracts held for practices), subcontracts
(sub-contracts and the compliance dashboard), evidence (evidence and
clinicians of a sub-contract, and its review), service_pages (services,
tariffs, requirements: the pages of the Service model; writes are in
contracts.services), returns (activity returns, payment schedules)."""
