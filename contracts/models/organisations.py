import pghistory
from django.db import models


class OrganisationKind(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner (CCG, ICB, NHS England)"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PROVIDER = "provider", "Provider company"
    NHS_TRUST = "nhs_trust", "NHS trust"
    FEDERATION = "federation", "Federation or provider company of practices"
    OTHER = "other", "Other"


@pghistory.track()
class Organisation(models.Model):
    """A body the federation contracts with: a contractor it buys a service
    from (Jamie Bell Physiotherapy Ltd), a commissioner that funds one (ELR
    CCG, Leicestershire County Council), or a paying agent (LLR PCL)."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.PROVIDER
    )
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    contact_email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
