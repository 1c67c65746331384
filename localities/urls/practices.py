"""Routes under /practices/: practices by ODS code, and their list sizes."""

from django.urls import path, register_converter

from localities import views


class OdsCodeConverter:
    """Letters and digits only: anything else (a stray NUL byte, say) is 404
    before a database is asked about it. Lower case is accepted, as ODS
    codes are upper case."""

    regex = "[A-Za-z0-9]{3,10}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(OdsCodeConverter, "ods")

urlpatterns = [
    path("", views.PracticeListView.as_view(), name="practice-list"),
    path("new/", views.PracticeFormView.as_view(), name="practice-create"),
    path("<ods:ods_code>/", views.PracticeDetailView.as_view(), name="practice-detail"),
    path("<ods:ods_code>/edit/", views.PracticeFormView.as_view(), name="practice-edit"),
    path("<ods:ods_code>/list-sizes/new/", views.ListSizeCreateView.as_view(), name="list-size-create"),
]
