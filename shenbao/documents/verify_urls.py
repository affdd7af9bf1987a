"""Public verification of generated documents (核验), outside the documents/ prefix so the URL printed on paper stays short."""

app_name = "verify"

urlpatterns = []
