"""Routes under /reminders/: the reminder emails that failed to send."""

from django.urls import path

from contracts.views import reminders as views

urlpatterns = [path("failed/", views.ReminderFailureListView.as_view(), name="reminder-failure-list")]
