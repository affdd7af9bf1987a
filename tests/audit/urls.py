"""A throw-away view that changes an Organisation, to test auditing through the whole middleware stack."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shenbao.organisations.models import Organisation


@csrf_exempt
def rename_organisation(request, pk):
    organisation = Organisation.objects.get(pk=pk)
    organisation.name = request.POST["name"]
    organisation.save()
    return HttpResponse("ok")


urlpatterns = [path("rename/<int:pk>/", rename_organisation)]
