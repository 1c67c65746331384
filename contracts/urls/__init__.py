"""Routes of the contracts app, one module per URL prefix. fedportal/urls.py
mounts each module at its prefix in the "contracts" namespace:

    /contracts/     held.py           contracts held for practices
    /subcontracts/  subcontracts.py   sub-contracts, their evidence, clinicians and returns
    /evidence/      evidence.py       evidence submitted, for review
    /services/      service_pages.py  services, tariffs, requirements, payment schedules
    /returns/       returns.py        activity returns and payment schedules
"""
