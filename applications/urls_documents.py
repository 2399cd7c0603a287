# Document downloads, printable slips and the public verification page (documents issue).
urlpatterns: list = []
