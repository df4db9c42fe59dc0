from django.urls import path

from .views import browse, organize, registration

app_name = "events"

urlpatterns = [
    path("", browse.event_list, name="list"),
    path("mine/", browse.my_events, name="mine"),
    path("mine/calendar/reset/", registration.reset_feed, name="reset_feed"),
    path("feed/<str:token>.ics", registration.personal_feed, name="feed"),
    path("new/", organize.event_create, name="create"),
    path("<int:pk>/", browse.event_detail, name="detail"),
    path("<int:pk>/calendar.ics", registration.event_calendar, name="calendar"),
    path("<int:pk>/register/", registration.register, name="register"),
    path("<int:pk>/cancel-registration/", registration.cancel_registration, name="unregister"),
    path("<int:pk>/minutes/", browse.minutes, name="minutes"),
    path("<int:pk>/minutes.txt", browse.minutes, {"export": True}, name="minutes_export"),
    path("<int:pk>/edit/", organize.event_edit, name="edit"),
    path("<int:pk>/postpone/", organize.event_postpone, name="postpone"),
    path("<int:pk>/cancel/", organize.event_cancel, name="cancel"),
    path("<int:pk>/registrations/", organize.registrations, name="registrations"),
    path("<int:pk>/registrations.csv", organize.registrations_export, name="registrations_export"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/decide/",
        organize.registration_decide,
        name="decide",
    ),
    path(
        "<int:pk>/registrations/<int:registration_pk>/remove/",
        organize.registration_remove,
        name="registration_remove",
    ),
    path(
        "<int:pk>/registrations/<int:registration_pk>/promote/",
        organize.registration_promote,
        name="registration_promote",
    ),
    path("<int:pk>/attendance/", organize.attendance, name="attendance"),
    path("<int:pk>/outcome/", organize.outcome, name="outcome"),
    path(
        "<int:pk>/action-items/<int:item_pk>/milestone/",
        organize.action_item_to_milestone,
        name="action_item_to_milestone",
    ),
]
