from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("accounts/notifications/", views.preferences, name="preferences"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/", views.notification_detail, name="detail"),
    path("notifications/read/", views.inbox_read_all, name="read_all"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("countries/<str:code>/follow/", views.follow_country, name="follow_country"),
    path("follow/<str:kind>/<int:pk>/", views.follow, name="follow"),
]
