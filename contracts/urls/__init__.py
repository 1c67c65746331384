"""Routes of the contracts app, listed per area in urls/held.py,
urls/subcontracts.py and urls/returns.py."""

from contracts.urls import held, returns, subcontracts

app_name = "contracts"

urlpatterns = [*held.urlpatterns, *subcontracts.urlpatterns, *returns.urlpatterns]
