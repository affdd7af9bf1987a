"""Public verification of generated documents (核验).

Outside the documents/ prefix so that the URL printed on paper stays short.
"""

from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:code>/", views.verify, name="code"),
]
