from django.urls import path

from . import views, views_onboarding

app_name = "plans"

urlpatterns = [
    path("", views.plan_detail, name="plan"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("matrix/", views.responsibility_matrix, name="matrix"),
    path("<int:plan_id>/matrix/", views.responsibility_matrix, name="matrix_for_plan"),
    path("targets/", views.target_list, name="targets"),
    path("<int:plan_id>/targets/", views.target_list, name="targets_for_plan"),
    path("<int:plan_id>/targets/handed-down/", views.handed_down_total, name="handed_down_total"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:department_id>/", views.department_detail, name="department"),
    path("all/", views_onboarding.plans, name="plans"),
    path("new/", views_onboarding.onboard, name="onboard"),
    path("new/<int:draft_id>/", views_onboarding.onboard_review, name="onboard_review"),
    path("new/<int:draft_id>/confirm/", views_onboarding.onboard_confirm, name="onboard_confirm"),
    path("new/<int:draft_id>/discard/", views_onboarding.onboard_discard, name="onboard_discard"),
]
