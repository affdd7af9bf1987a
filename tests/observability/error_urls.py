"""The project's URLs plus a view that fails with personal data in its message, for the error-report tests."""

from django.urls import path

from shenbao.urls import urlpatterns as project_urlpatterns

ID_NUMBER = "110105199001011234"
MOBILE = "13800138000"


def crash(request):
    raise RuntimeError(f"申报人 {ID_NUMBER}（手机 {MOBILE}）的材料处理失败")


urlpatterns = [path("boom/", crash), *project_urlpatterns]
