# Guided filing at the counter, under /officer/guided/ (filing issue).
urlpatterns: list = []
