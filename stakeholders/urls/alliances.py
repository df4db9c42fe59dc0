# Alliances: the alliance page, join requests, the coordinator queue; initiative roles.
urlpatterns: list = []
