"""URLs of the matching app (mounted at /tandem/)."""
from django.urls import include, path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.tandem_list, name="tandem_list"),
    path("<int:pk>/", include([
        path("", views.tandem_detail, name="tandem_detail"),
        path("treffen/", views.meeting_create, name="meeting_create"),
        path("treffen/<int:meeting_pk>/", include([
            path("", views.meeting_detail, name="meeting_detail"),
            path("aendern/", views.meeting_change, name="meeting_change"),
            path("bestaetigen/", views.confirm_meeting, name="meeting_confirm"),
            path("widersprechen/", views.object_to_meeting, name="meeting_object"),
            path("loeschen/", views.delete_meeting, name="meeting_delete"),
            path("notiz/", views.meeting_note, name="meeting_note"),
        ])),
        path("vereinbarung/", views.agreement, name="agreement"),
        path("vereinbarung/<int:agreement_pk>/bestaetigen/", views.confirm_agreement, name="agreement_confirm"),
        path("kurzbefragung/<int:checkin_pk>/", views.checkin, name="checkin"),
        path("rueckblick/<int:review_pk>/", views.review, name="review"),
        path("teilnahmebescheinigung.pdf", views.certificate, name="certificate"),
        path("anliegen/", views.send_report, name="report_create"),
        path("anliegen/<int:report_pk>/", views.report_detail, name="report_detail"),
    ])),
    path("zeitnachweis/<int:year>.pdf", views.statement_pdf, name="statement_pdf"),
]
