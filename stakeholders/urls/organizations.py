# Organizations: registration, profile, people, invitations, directory and vetting.
urlpatterns: list = []
