"""The registration form as a PDF, laid out like the Network Contract DES
registration form of 2019/20 (seed 003): the member table with ODS codes
and list sizes at 1 January 2019, the total, the clinical director, the
nominated payee, the bank account (in full only in the copy staff download)
and the map. Tagged for screen readers (PDF/UA-1), in British English."""

from django.template.loader import render_to_string
from weasyprint import HTML

from pcn.boundary import boundary_svg
from pcn.models import Registration
from pcn.registration import registration_members, total_list_size


def registration_pdf(registration: Registration, *, full_bank_details: bool, federation: str) -> bytes:
    members = registration_members(registration)
    pcn = registration.pcn
    frozen = registration.is_frozen
    context = {
        "registration": registration,
        "pcn": pcn,
        "members": members,
        "total": registration.total_list_size if frozen else total_list_size(members),
        "clinical_director": registration.clinical_director_name if frozen else pcn.clinical_director_name,
        "payee": registration.payee_name if frozen else pcn.payee_name,
        "account_name": registration.bank_account_name if frozen else pcn.bank_account_name,
        "sort_code": registration.bank_sort_code if frozen else pcn.bank_sort_code,
        "account_number": registration.bank_account_number if frozen else pcn.bank_account_number,
        "full_bank_details": full_bank_details,
        "map_svg": boundary_svg(
            registration.boundary if frozen else pcn.boundary, label=f"Map of the area of {pcn.name}"
        ),
        "federation": federation,
    }
    html = render_to_string("pcn/registration_pdf.html", context)
    # The document language (PDF/UA's /Lang) comes from the template's <html lang>:
    # WeasyPrint has no lang argument to write_pdf.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
