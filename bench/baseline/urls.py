"""The bare page: one indexed query (the first region by primary key, from the product's database) rendered
through a small Django template."""

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import path

PAGE = engines["django"].from_string(
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ name }}</title></head>'
    "<body><h1>{{ name }}</h1><p>{{ code }}</p></body></html>"
)


def page(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, key FROM organisations_region ORDER BY id LIMIT 1")
        name, key = cursor.fetchone() or ("", "")
    return HttpResponse(PAGE.render({"name": name, "code": key}, request))


urlpatterns = [path("", page)]
