from django.urls import include, path

from . import service_views, views, views_statistics

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("c/<slug:slug>/", views.city_portal, name="city_portal"),
    path("statistics/", views.province_statistics, name="province_statistics"),
    # 统计分析 for the city's leadership: every call of the city, or one call (another city's call: 404).
    path("statistics/city/", views_statistics.dashboard, name="city_statistics"),
    path("statistics/city/statistics.xlsx", views_statistics.dashboard_xlsx, name="city_statistics_xlsx"),
    path("statistics/city/<slug:slug>/", views_statistics.dashboard, name="call_statistics"),
    path("statistics/city/<slug:slug>/statistics.xlsx", views_statistics.dashboard_xlsx, name="call_statistics_xlsx"),
    path("statistics/city/<slug:slug>/summary/", views_statistics.summary, name="call_statistics_summary"),
    path("statistics/city/<slug:slug>/summary.pdf", views_statistics.summary_pdf, name="call_statistics_summary_pdf"),
    path(
        "statistics/city/<slug:slug>/report/<slug:kind>/<slug:fmt>/",
        views_statistics.upward_report,
        name="call_upward_report",
    ),
    # The public service hall (政务服务), for the platform and for each city's portal.
    path("service/", service_views.hub, name="service"),
    path("service/announcements/", service_views.announcements, name="service_announcements"),
    path("service/guide/", service_views.guide_list, name="service_guide"),
    path("service/guide/<slug:call_slug>/<slug:code>/", service_views.guide_detail, name="service_guide_detail"),
    path("service/status/", service_views.status_query, name="service_status"),
    path("service/register/", service_views.register, name="service_register"),
    path("c/<slug:slug>/service/", service_views.hub, name="city_service"),
    path("c/<slug:slug>/service/announcements/", service_views.announcements, name="city_service_announcements"),
    path("", include("shenbao.notices.service_urls")),
    path("c/<slug:slug>/service/guide/", service_views.guide_list, name="city_service_guide"),
    path("c/<slug:slug>/service/register/", service_views.register, name="city_service_register"),
]
